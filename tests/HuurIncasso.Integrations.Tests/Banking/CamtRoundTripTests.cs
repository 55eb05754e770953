using System.Globalization;
using System.Security;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using HuurIncasso.Integrations.Banking;

namespace HuurIncasso.Integrations.Tests.Banking;

/// <summary>
/// Writes random payments as camt.053 (v02 and v08 shapes, single entries and batches) and
/// reads them back: whatever the version or batching, every field comes back unchanged.
/// </summary>
public sealed class CamtRoundTripTests
{
    private static readonly string[] Names = ["J. de Vries", "A. Yılmaz", "Ö & Söhne <BV>", "Mevr. S. Jansen-Smit", "K. van 't Hof"];
    private static readonly string[] Ibans = ["NL44RABO0123456789", "NL91ABNA0417164300", "BE68539007547034", "DE89370400440532013000"];
    private static readonly string[] References = ["1000001200012611", "RF18539007547034", "271234567"];
    private static readonly string[] Texts = ["Huur november", "huur & servicekosten <dec>", "Termijn 3 van 6 \"regeling\""];
    private static readonly string[] Reasons = ["AM04", "MD06", "MS02", "AC04"];

    private sealed record Payment(decimal Amount, string Name, string Iban, string? Reference, string? Text, string? Mandate, string? Reason);

    [Fact]
    public void Parse_WrittenInAnyVersion_ReadsBackSameFields()
    {
        var payment =
            from cents in Gen.Choose(1, 9_999_999)
            from name in Gen.Elements(Names)
            from iban in Gen.Elements(Ibans)
            from reference in Gen.Elements(References).OrNull()
            from text in Gen.Elements(Texts).OrNull()
            from mandate in Gen.Elements("HI-MDT-1", "HI-MDT-2").OrNull()
            from reason in Gen.Elements(Reasons).OrNull()
            select new Payment(cents / 100m, name, iban, reference, text, mandate, reason);
        var scenario =
            from payments in Gen.NonEmptyListOf(payment).Select(list => list.Take(6).ToList())
            from v08 in Gen.Elements(false, true)
            from batch in Gen.Elements(false, true)
            from reversal in Gen.Elements(false, true)
            select (payments, v08, batch, reversal);

        Check.QuickThrowOnFailure(Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var xml = Write(s.payments, s.v08, s.batch, s.reversal);
            var read = CamtParser.Parse(xml).Transactions;

            Assert.Equal(s.payments.Count, read.Count);
            for (var i = 0; i < read.Count; i++)
            {
                var expected = s.payments[i];
                var actual = read[i];
                Assert.Equal(expected.Amount, actual.Amount);
                Assert.Equal(s.reversal ? BankDirection.Debit : BankDirection.Credit, actual.Direction);
                Assert.Equal(s.reversal, actual.Reversal);
                Assert.Equal(expected.Name, actual.DebtorName);
                Assert.Equal(expected.Iban, actual.DebtorIban);
                Assert.Equal(expected.Reference, actual.Reference);
                Assert.Equal(expected.Text, actual.Remittance);
                Assert.Equal(expected.Mandate, actual.MandateId);
                Assert.Equal(s.reversal ? expected.Reason : null, actual.ReasonCode);
                Assert.Equal(new DateOnly(2026, 11, 20), actual.BookingDate);
                Assert.DoesNotContain(actual.Flags, f => f.Code is BankDataFlagCode.InvalidDebtorIban or BankDataFlagCode.InvalidReference or BankDataFlagCode.BatchTotalMismatch);
            }

            Assert.Equal(read.Count, read.Select(t => t.EntryKey).Distinct().Count());
        }));
    }

    private static string Write(List<Payment> payments, bool v08, bool batch, bool reversal)
    {
        var xml = new StringBuilder();
        xml.Append(CultureInfo.InvariantCulture, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{(v08 ? "08" : "02")}\">\n");
        xml.Append("<BkToCstmrStmt><GrpHdr><MsgId>RT</MsgId></GrpHdr><Stmt><Id>RT-1</Id><Acct><Id><IBAN>NL20INGB0001234567</IBAN></Id></Acct>\n");
        var groups = batch ? [payments] : payments.Select(p => new List<Payment> { p }).ToList();
        var entry = 0;
        foreach (var group in groups)
        {
            entry++;
            var indicator = reversal ? "DBIT" : "CRDT";
            xml.Append(CultureInfo.InvariantCulture, $"<Ntry><Amt Ccy=\"EUR\">{group.Sum(p => p.Amount):0.00}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>");
            if (reversal)
            {
                xml.Append("<RvslInd>true</RvslInd>");
            }

            xml.Append(v08 ? "<Sts><Cd>BOOK</Cd></Sts><BookgDt><DtTm>2026-11-20T12:00:00+01:00</DtTm></BookgDt>" : "<Sts>BOOK</Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt>");
            xml.Append(CultureInfo.InvariantCulture, $"<AcctSvcrRef>RT-{entry}</AcctSvcrRef><NtryDtls>\n");
            foreach (var p in group)
            {
                xml.Append("<TxDtls>");
                if (p.Mandate is not null)
                {
                    xml.Append(CultureInfo.InvariantCulture, $"<Refs><MndtId>{p.Mandate}</MndtId></Refs>");
                }

                xml.Append(v08
                    ? string.Create(CultureInfo.InvariantCulture, $"<Amt Ccy=\"EUR\">{p.Amount:0.00}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>")
                    : string.Create(CultureInfo.InvariantCulture, $"<AmtDtls><TxAmt><Amt Ccy=\"EUR\">{p.Amount:0.00}</Amt></TxAmt></AmtDtls>"));
                var name = SecurityElement.Escape(p.Name);
                xml.Append(v08 ? $"<RltdPties><Dbtr><Pty><Nm>{name}</Nm></Pty></Dbtr>" : $"<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr>");
                xml.Append(CultureInfo.InvariantCulture, $"<DbtrAcct><Id><IBAN>{p.Iban}</IBAN></Id></DbtrAcct></RltdPties>");
                if (p.Text is not null || p.Reference is not null)
                {
                    xml.Append("<RmtInf>");
                    if (p.Text is not null)
                    {
                        xml.Append(CultureInfo.InvariantCulture, $"<Ustrd>{SecurityElement.Escape(p.Text)}</Ustrd>");
                    }

                    if (p.Reference is not null)
                    {
                        var issuer = p.Reference.StartsWith("RF", StringComparison.Ordinal) ? string.Empty : "<Issr>CUR</Issr>";
                        xml.Append(CultureInfo.InvariantCulture, $"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry>{issuer}</Tp><Ref>{p.Reference}</Ref></CdtrRefInf></Strd>");
                    }

                    xml.Append("</RmtInf>");
                }

                if (reversal && p.Reason is not null)
                {
                    xml.Append(CultureInfo.InvariantCulture, $"<RtrInf><Rsn><Cd>{p.Reason}</Cd></Rsn></RtrInf>");
                }

                xml.Append("</TxDtls>\n");
            }

            xml.Append("</NtryDtls></Ntry>\n");
        }

        xml.Append("</Stmt></BkToCstmrStmt></Document>\n");
        return xml.ToString();
    }
}
