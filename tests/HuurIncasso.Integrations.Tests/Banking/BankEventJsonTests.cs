using HuurIncasso.Integrations.Banking;

namespace HuurIncasso.Integrations.Tests.Banking;

public sealed class BankEventJsonTests
{
    [Fact]
    public void Parse_ArrayFixture_ReadsEveryField()
    {
        var events = BankEventJson.Parse(Fixture.Text("events.json"));

        Assert.Equal(2, events.Count);
        var payment = events[0];
        Assert.Equal(725.50m, payment.Amount);
        Assert.Equal(BankDirection.Credit, payment.Direction);
        Assert.Equal(new DateOnly(2026, 11, 20), payment.BookingDate);
        Assert.Equal("NL44RABO0123456789", payment.DebtorIban);
        Assert.Equal("J. de Vries", payment.DebtorName);
        Assert.Equal("Huur november", payment.Remittance);
        Assert.Equal("1000001200012611", payment.Reference);
        Assert.Equal(ReferenceType.Betalingskenmerk, payment.ReferenceType);
        Assert.Equal("VRIES-NOV-2026", payment.EndToEndId);
        Assert.Equal("event|evt_2026_11_20_0001", payment.EntryKey);
        Assert.Equal(BankSource.JsonEvent, payment.Source);
        Assert.Empty(payment.Flags);

        var reversal = events[1];
        Assert.True(reversal.Reversal);
        Assert.Equal(BankDirection.Debit, reversal.Direction);
        Assert.Equal("AM04", reversal.ReasonCode);
        Assert.Equal("HI-MDT-12000600", reversal.MandateId);
    }

    [Fact]
    public void Parse_SingleObject_OneTransaction()
    {
        const string json = """{"id":"e1","bookingDate":"2026-11-20","amount":"10.00","direction":"credit","structuredReference":"RF18 5390 0754 7034"}""";

        var tx = Assert.Single(BankEventJson.Parse(json));

        Assert.Equal(10.00m, tx.Amount);
        Assert.Equal("RF18539007547034", tx.Reference);
        Assert.Equal(ReferenceType.CreditorReference, tx.ReferenceType);
    }

    [Fact]
    public void Parse_BadIbanAndReference_AcceptedAndFlagged()
    {
        const string json = """{"id":"e1","bookingDate":"2026-11-20","amount":10,"direction":"credit","counterpartyIban":"NL44RABO0123456780","structuredReference":"9000001200012611"}""";

        var tx = Assert.Single(BankEventJson.Parse(json));

        Assert.True(tx.HasFlag(BankDataFlagCode.InvalidDebtorIban));
        Assert.True(tx.HasFlag(BankDataFlagCode.InvalidReference));
    }

    [Theory]
    // Each required field, missing in the second event: the error names index and field.
    [InlineData("""{"bookingDate":"2026-11-20","amount":1,"direction":"credit"}""", "[1].id")]
    [InlineData("""{"id":"b","amount":1,"direction":"credit"}""", "[1].bookingDate")]
    [InlineData("""{"id":"b","bookingDate":"2026-11-20","direction":"credit"}""", "[1].amount")]
    [InlineData("""{"id":"b","bookingDate":"2026-11-20","amount":1}""", "[1].direction")]
    // Wrong values.
    [InlineData("""{"id":"b","bookingDate":"20-11-2026","amount":1,"direction":"credit"}""", "[1].bookingDate")]
    [InlineData("""{"id":"b","bookingDate":"2026-11-20","amount":-1,"direction":"credit"}""", "[1].amount")]
    [InlineData("""{"id":"b","bookingDate":"2026-11-20","amount":1.005,"direction":"credit"}""", "[1].amount")]
    [InlineData("""{"id":"b","bookingDate":"2026-11-20","amount":"1,50","direction":"credit"}""", "[1].amount")]
    [InlineData("""{"id":"b","bookingDate":"2026-11-20","amount":1,"direction":"in"}""", "[1].direction")]
    [InlineData("""{"id":"b","bookingDate":"2026-11-20","amount":1,"direction":"credit","reversal":"yes"}""", "[1].reversal")]
    [InlineData("""{"id":7,"bookingDate":"2026-11-20","amount":1,"direction":"credit"}""", "[1].id")]
    [InlineData("42", "[1]")]
    public void Parse_BadEvent_ErrorNamesIndexAndField(string second, string field)
    {
        var json = $$"""[{"id":"a","bookingDate":"2026-11-20","amount":1,"direction":"credit"},{{second}}]""";

        var exception = Assert.Throws<BankFormatException>(() => BankEventJson.Parse(json));

        Assert.Equal(field, exception.Field);
        Assert.Contains(field, exception.Message, StringComparison.Ordinal);
        Assert.Contains($"veld {field}", exception.ToDutchMessage(null), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedJson_ThrowsWithLine()
    {
        const string json = "[\n  {\"id\": \"a\",\n   \"amount\": 1,,\n  }\n]";

        var exception = Assert.Throws<BankFormatException>(() => BankEventJson.Parse(json));

        Assert.Equal(3, exception.LineNumber);
        Assert.NotNull(exception.LinePosition);
    }

    [Fact]
    public void Parse_ScalarRoot_Throws()
    {
        Assert.Throws<BankFormatException>(() => BankEventJson.Parse("\"hello\""));
    }
}
