using HuurIncasso.Integrations.Banking;

namespace HuurIncasso.Integrations.Tests.Banking;

public sealed class PaymentMatcherTests
{
    private static readonly ContractPaymentKeys DeVries = new()
    {
        ContractId = "12000100",
        References = ["1000001200012611"],
        KnownIbans = ["NL44RABO0123456789"],
        TenantNames = ["J. de Vries"],
        ExpectedAmount = 725.50m,
    };

    private static readonly ContractPaymentKeys ElAmrani = new()
    {
        ContractId = "12000300",
        References = ["RF10HUUR12000300"],
        TenantNames = ["Fatima el Amrani"],
        ExpectedAmount = 812.00m,
    };

    private static readonly ContractPaymentKeys Bakker = new()
    {
        ContractId = "12000500",
        TenantNames = ["P. Bakker", "M. Bakker-Visser"],
        ExpectedAmount = 650.00m,
    };

    private static readonly ContractPaymentKeys Yilmaz = new()
    {
        ContractId = "12000600",
        MandateIds = ["HI-MDT-12000600"],
        EndToEndIds = ["HI-DD-12000600-202611"],
        TenantNames = ["A. Yılmaz"],
        ExpectedAmount = 701.25m,
    };

    private static readonly ContractPaymentKeys Jansen = new()
    {
        ContractId = "12000400",
        References = ["4000001200042611"],
        TenantNames = ["M. Jansen"],
        ExpectedAmount = 640.00m,
    };

    private static readonly PaymentKeyIndex Index = new([DeVries, ElAmrani, Bakker, Yilmaz, Jansen]);

    [Fact]
    public void Match_StructuredBetalingskenmerk_MatchedByReference()
    {
        var match = PaymentMatcher.Match(Tx() with { Reference = "1000001200012611", ReferenceType = ReferenceType.Betalingskenmerk }, Index);

        AssertMatched(match, "12000100", MatchMethod.StructuredReference);
        Assert.Contains("1000001200012611", match.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_StructuredRf_MatchedByReference()
    {
        var match = PaymentMatcher.Match(Tx() with { Reference = "RF10HUUR12000300", ReferenceType = ReferenceType.CreditorReference }, Index);

        AssertMatched(match, "12000300", MatchMethod.StructuredReference);
    }

    [Theory]
    // Typed in groups, as printed on the letter.
    [InlineData("Huur dec 4000 0012 0004 2611")]
    // Typed with dots and extra words around it.
    [InlineData("kenmerk:4000.0012.0004.2611 bedankt")]
    // Run together with a year before it: the year must not spoil the reference.
    [InlineData("huur 2026 4000001200042611")]
    public void Match_ValidReferenceTypedInRemittance_MatchedByReference(string remittance)
    {
        var match = PaymentMatcher.Match(Tx() with { Remittance = remittance }, Index);

        AssertMatched(match, "12000400", MatchMethod.StructuredReference);
        Assert.Contains("omschrijving", match.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_RfTypedInLowerCaseInRemittance_Matched()
    {
        var match = PaymentMatcher.Match(Tx() with { Remittance = "betaling rf10 huur 1200 0300 nov" }, Index);

        AssertMatched(match, "12000300", MatchMethod.StructuredReference);
    }

    [Fact]
    public void Match_TypedReferenceWithWrongCheckDigit_NotUsed()
    {
        // One digit off: the check digit fails, so it must not be taken as the reference.
        var match = PaymentMatcher.Match(Tx() with { Remittance = "Huur dec 4000 0012 0004 2612" }, Index);

        Assert.Equal(MatchOutcome.Unmatched, match.Outcome);
    }

    [Fact]
    public void Match_StructuredReferenceFlaggedInvalid_FallsThroughToIban()
    {
        var tx = Tx() with
        {
            Reference = "9000001200012611",
            ReferenceType = ReferenceType.Betalingskenmerk,
            DebtorIban = "NL44RABO0123456789",
            Flags = [new(BankDataFlagCode.InvalidReference, "check digit")],
        };

        AssertMatched(PaymentMatcher.Match(tx, Index), "12000100", MatchMethod.KnownIban);
    }

    [Fact]
    public void Match_Mandate_MatchedByMandate()
    {
        var match = PaymentMatcher.Match(Tx() with { MandateId = "HI-MDT-12000600", Reversal = true, Direction = BankDirection.Debit, ReasonCode = "AM04" }, Index);

        AssertMatched(match, "12000600", MatchMethod.MandateOrEndToEnd);
        Assert.Contains("HI-MDT-12000600", match.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_EndToEndIdOnly_MatchedByEndToEnd()
    {
        AssertMatched(PaymentMatcher.Match(Tx() with { EndToEndId = "HI-DD-12000600-202611" }, Index), "12000600", MatchMethod.MandateOrEndToEnd);
    }

    [Fact]
    public void Match_KnownIban_MatchedByIban()
    {
        AssertMatched(PaymentMatcher.Match(Tx() with { DebtorIban = "NL44RABO0123456789", Amount = 100m }, Index), "12000100", MatchMethod.KnownIban);
    }

    [Fact]
    public void Match_ReferenceBeatsIbanOfAnotherContract()
    {
        // The strongest key wins: a parent paying a child's rent from their own account.
        var tx = Tx() with { Reference = "RF10HUUR12000300", ReferenceType = ReferenceType.CreditorReference, DebtorIban = "NL44RABO0123456789" };

        AssertMatched(PaymentMatcher.Match(tx, Index), "12000300", MatchMethod.StructuredReference);
    }

    [Fact]
    public void Match_NameWithTitlesAndAmount_MatchedByName()
    {
        var match = PaymentMatcher.Match(Tx() with { DebtorName = "DHR P BAKKER EO", Amount = 650.00m }, Index);

        AssertMatched(match, "12000500", MatchMethod.NameAndAmount);
    }

    [Fact]
    public void Match_NameWithoutExpectedAmount_UnmatchedWithSuggestion()
    {
        var match = PaymentMatcher.Match(Tx() with { DebtorName = "DHR P BAKKER EO", Amount = 150.00m }, Index);

        Assert.Equal(MatchOutcome.Unmatched, match.Outcome);
        Assert.Null(match.ContractId);
        Assert.Equal("12000500", Assert.Single(match.Candidates).ContractId);
    }

    [Fact]
    public void Match_NameUnlikeAnyTenant_Unmatched()
    {
        var match = PaymentMatcher.Match(Tx() with { DebtorName = "Stichting Voedselbank", Amount = 650.00m }, Index);

        Assert.Equal(MatchOutcome.Unmatched, match.Outcome);
        Assert.Empty(match.Candidates);
    }

    [Fact]
    public void Match_NoName_Unmatched()
    {
        Assert.Equal(MatchOutcome.Unmatched, PaymentMatcher.Match(Tx(), Index).Outcome);
    }

    [Fact]
    public void Match_ReferenceIssuedTwice_AmbiguousWithBothCandidates()
    {
        var index = new PaymentKeyIndex([DeVries, DeVries with { ContractId = "12000199" }]);

        var match = PaymentMatcher.Match(Tx() with { Reference = "1000001200012611", ReferenceType = ReferenceType.Betalingskenmerk }, index);

        Assert.Equal(MatchOutcome.Ambiguous, match.Outcome);
        Assert.Equal(["12000100", "12000199"], match.Candidates.Select(c => c.ContractId).Order());
    }

    [Fact]
    public void Match_MandateOnTwoContracts_Ambiguous()
    {
        var index = new PaymentKeyIndex([Yilmaz, Yilmaz with { ContractId = "12000601", EndToEndIds = [] }]);

        Assert.Equal(MatchOutcome.Ambiguous, PaymentMatcher.Match(Tx() with { MandateId = "hi-mdt-12000600" }, index).Outcome);
    }

    [Fact]
    public void Match_IbanOnTwoContractsNameAndAmountDecide_MatchedByIban()
    {
        // A home and a parking space rented by the same tenant, paid from one account.
        var home = DeVries with { ContractId = "H1", References = [] };
        var parking = DeVries with { ContractId = "P1", References = [], ExpectedAmount = 45.00m };
        var index = new PaymentKeyIndex([home, parking]);

        var match = PaymentMatcher.Match(Tx() with { DebtorIban = "NL44RABO0123456789", DebtorName = "J DE VRIES", Amount = 45.00m }, index);

        AssertMatched(match, "P1", MatchMethod.KnownIban);
    }

    [Fact]
    public void Match_IbanOnTwoContractsOtherAmount_AmbiguousWithBoth()
    {
        var home = DeVries with { ContractId = "H1", References = [] };
        var parking = DeVries with { ContractId = "P1", References = [], ExpectedAmount = 45.00m };
        var index = new PaymentKeyIndex([home, parking]);

        var match = PaymentMatcher.Match(Tx() with { DebtorIban = "NL44RABO0123456789", DebtorName = "J DE VRIES", Amount = 300.00m }, index);

        Assert.Equal(MatchOutcome.Ambiguous, match.Outcome);
        Assert.Equal(["H1", "P1"], match.Candidates.Select(c => c.ContractId).Order());
    }

    [Fact]
    public void Match_InvalidIban_NotUsed()
    {
        var tx = Tx() with { DebtorIban = "NL44RABO0123456789", Flags = [new(BankDataFlagCode.InvalidDebtorIban, "x")] };

        Assert.Equal(MatchOutcome.Unmatched, PaymentMatcher.Match(tx, Index).Outcome);
    }

    [Fact]
    public void Match_SameNameSameAmountTwoContracts_Ambiguous()
    {
        var index = new PaymentKeyIndex([Bakker, Bakker with { ContractId = "12000501" }]);

        var match = PaymentMatcher.Match(Tx() with { DebtorName = "P. Bakker", Amount = 650.00m }, index);

        Assert.Equal(MatchOutcome.Ambiguous, match.Outcome);
        Assert.Equal(2, match.Candidates.Count);
    }

    [Fact]
    public void Match_SameSurnameOtherInitialsSameAmount_BetterNameWins()
    {
        // Two Bakkers with the same rent: the initials tell them apart.
        var other = new ContractPaymentKeys { ContractId = "12000502", TenantNames = ["K. Bakker"], ExpectedAmount = 650.00m };
        var index = new PaymentKeyIndex([Bakker, other]);

        AssertMatched(PaymentMatcher.Match(Tx() with { DebtorName = "BAKKER P", Amount = 650.00m }, index), "12000500", MatchMethod.NameAndAmount);
    }

    [Fact]
    public void Match_ThresholdRaised_NameNoLongerCounts()
    {
        // The threshold is a setting: above 1 no name can ever decide a match.
        var tx = Tx() with { DebtorName = "Ozturk Yilmaz", Amount = 701.25m };

        AssertMatched(PaymentMatcher.Match(tx, Index), "12000600", MatchMethod.NameAndAmount);
        Assert.Equal(MatchOutcome.Unmatched, PaymentMatcher.Match(tx, Index, new PaymentMatcherOptions { NameThreshold = 1.01 }).Outcome);
    }

    [Fact]
    public void Index_DuplicateContractId_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PaymentKeyIndex([DeVries, DeVries]));
    }

    [Fact]
    public void Match_WholeV02Fixture_EachPathUsed()
    {
        var transactions = CamtParser.Parse(Fixture.Text("camt053-v02.xml")).Transactions;

        var methods = transactions.Select(t => PaymentMatcher.Match(t, Index)).ToList();

        Assert.Equal(MatchMethod.StructuredReference, methods[0].Method);
        Assert.Equal(MatchMethod.StructuredReference, methods[1].Method);
        Assert.Equal(MatchMethod.NameAndAmount, methods[2].Method);
        Assert.Equal(MatchMethod.MandateOrEndToEnd, methods[3].Method);
        Assert.Equal("12000400", methods[^1].ContractId);
    }

    private static BankTransaction Tx() => new()
    {
        Amount = 1.00m,
        Direction = BankDirection.Credit,
        BookingDate = new DateOnly(2026, 11, 20),
        EntryKey = "test",
    };

    private static void AssertMatched(PaymentMatch match, string contractId, MatchMethod method)
    {
        Assert.True(match.Outcome == MatchOutcome.Matched, match.Explanation);
        Assert.Equal(contractId, match.ContractId);
        Assert.Equal(method, match.Method);
        Assert.False(string.IsNullOrWhiteSpace(match.Explanation));
    }
}
