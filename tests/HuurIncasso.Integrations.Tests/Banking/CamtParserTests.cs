using HuurIncasso.Integrations.Banking;

namespace HuurIncasso.Integrations.Tests.Banking;

public sealed class CamtParserTests
{
    private static BankStatementFile V02 => CamtParser.Parse(Fixture.Text("camt053-v02.xml"));

    [Fact]
    public void Parse_V02Statement_ReadsHeaderAndStatement()
    {
        var file = V02;

        Assert.Equal(BankSource.Camt053, file.Format);
        Assert.Equal("camt.053.001.02", file.MessageVersion);
        Assert.Equal("HI-TEST-053-0002-20261120", file.MessageId);
        var statement = Assert.Single(file.Statements);
        Assert.Equal("NL20INGB0001234567", statement.OwnIban);
        Assert.Equal("226", statement.ElectronicSequenceNumber);
        Assert.Equal("NL20INGB0001234567|226", statement.StatementKey);
        Assert.Equal(6, statement.EntryCount);
    }

    [Fact]
    public void Parse_V02Statement_SplitsBatchesIntoOneTransactionPerTxDtls()
    {
        // 3 single credits + a batch of 3 direct debits + a batch of 2 returns + 1 ABN AMRO entry.
        Assert.Equal(9, V02.Transactions.Count);
    }

    [Fact]
    public void Parse_CreditTransferWithBetalingskenmerk_ReadsReferenceAndPayer()
    {
        var tx = V02.Transactions[0];

        Assert.Equal(725.50m, tx.Amount);
        Assert.Equal(BankDirection.Credit, tx.Direction);
        Assert.False(tx.Reversal);
        Assert.Equal(new DateOnly(2026, 11, 20), tx.BookingDate);
        Assert.Equal(new DateOnly(2026, 11, 20), tx.ValueDate);
        Assert.Equal("HI-REF-0001", tx.BankReference);
        Assert.Equal("1000001200012611", tx.Reference);
        Assert.Equal(ReferenceType.Betalingskenmerk, tx.ReferenceType);
        Assert.Equal("J. de Vries", tx.DebtorName);
        Assert.Equal("NL44RABO0123456789", tx.DebtorIban);
        Assert.Equal("VRIES-NOV-2026", tx.EndToEndId);
        Assert.Equal("PMNT/RCDT/ESCT", tx.BankTransactionCode);
        Assert.Equal("NL20INGB0001234567|HI-REF-0001|0", tx.EntryKey);
        Assert.Empty(tx.Flags);
    }

    [Fact]
    public void Parse_CreditTransferWithRf_CompactsReferenceAndDropsNotProvided()
    {
        var tx = V02.Transactions[1];

        Assert.Equal("RF10HUUR12000300", tx.Reference);
        Assert.Equal(ReferenceType.CreditorReference, tx.ReferenceType);
        // NOTPROVIDED is what a bank writes when the payer gave no end-to-end id.
        Assert.Null(tx.EndToEndId);
        Assert.Empty(tx.Flags);
    }

    [Fact]
    public void Parse_OnlyUnstructuredText_JoinsUstrdLines()
    {
        var tx = V02.Transactions[2];

        Assert.Null(tx.Reference);
        Assert.Equal(ReferenceType.None, tx.ReferenceType);
        Assert.Equal("Huur november Kastanjelaan 12", tx.Remittance);
        Assert.Equal("DHR P BAKKER EO", tx.DebtorName);
    }

    [Fact]
    public void Parse_DirectDebitBatch_OneTransactionEachWithOwnAmountAndIds()
    {
        var batch = V02.Transactions.Where(t => t.BankReference == "HI-REF-0004").ToList();

        Assert.Equal(3, batch.Count);
        Assert.Equal([701.25m, 689.50m, 696.00m], batch.Select(t => t.Amount));
        Assert.Equal([0, 1, 2], batch.Select(t => t.TransactionIndex));
        Assert.Equal(["HI-MDT-12000600", "HI-MDT-12000700", "HI-MDT-12000800"], batch.Select(t => t.MandateId));
        Assert.Equal("HI-DD-12000700-202611", batch[1].EndToEndId);
        Assert.Equal("Mevr. S. Jansen-Smit", batch[1].DebtorName);
        Assert.All(batch, t => Assert.Equal(BankDirection.Credit, t.Direction));
        // Distinct keys, so each collection is applied once and none is lost.
        Assert.Equal(3, batch.Select(t => t.EntryKey).Distinct().Count());
        Assert.All(batch, t => Assert.Empty(t.Flags));
    }

    [Fact]
    public void Parse_ReversalBatch_ReadsReasonCodesAndOriginalIds()
    {
        var returns = V02.Transactions.Where(t => t.BankReference == "HI-REF-0005").ToList();

        Assert.Equal(2, returns.Count);
        Assert.All(returns, t =>
        {
            Assert.True(t.Reversal);
            Assert.Equal(BankDirection.Debit, t.Direction);
            Assert.Equal(new DateOnly(2026, 11, 24), t.BookingDate);
        });
        Assert.Equal("AM04", returns[0].ReasonCode);
        Assert.Equal("Onvoldoende saldo", returns[0].ReasonText);
        Assert.Equal("HI-MDT-12000600", returns[0].MandateId);
        Assert.Equal("MD06", returns[1].ReasonCode);
        Assert.Equal("HI-DD-12000800-202611", returns[1].EndToEndId);
        // A return names the tenant (the debtor of the original collection), not us.
        Assert.Equal("K. van den Berg", returns[1].DebtorName);
        Assert.Equal("NL18BUNQ2041234567", returns[1].DebtorIban);
        Assert.Equal(-696.00m, returns[1].SignedAmount);
    }

    [Fact]
    public void Parse_AbnAmroTagsInAdditionalEntryInfo_FillInMissingDetails()
    {
        var tx = V02.Transactions[^1];

        Assert.Equal(640.00m, tx.Amount);
        Assert.Equal("M JANSEN", tx.DebtorName);
        Assert.Equal("NL22SNSB0912345678", tx.DebtorIban);
        Assert.Equal("Huur dec 4000 0012 0004 2611", tx.Remittance);
        Assert.Null(tx.EndToEndId);
        Assert.Equal("N541", tx.BankTransactionCode);
    }

    [Fact]
    public void Parse_V08Statement_ReadsPtyNamesDateTimeAndTxAmounts()
    {
        var file = CamtParser.Parse(Fixture.Text("camt053-v08.xml"));

        Assert.Equal("camt.053.001.08", file.MessageVersion);
        Assert.Equal(4, file.Transactions.Count);
        var first = file.Transactions[0];
        Assert.Equal("J. de Vries", first.DebtorName);
        // 23:30 UTC on the 20th is past midnight in Amsterdam: the business date is the 21st.
        Assert.Equal(new DateOnly(2026, 11, 21), first.BookingDate);
        Assert.Equal("1000001200012611", first.Reference);
        Assert.Equal([701.25m, 689.50m], file.Transactions.Skip(1).Take(2).Select(t => t.Amount));
        Assert.Equal("Mevr. S. Jansen-Smit", file.Transactions[2].DebtorName);
        var reversal = file.Transactions[3];
        Assert.True(reversal.Reversal);
        Assert.Equal("MS02", reversal.ReasonCode);
        Assert.Equal(new DateOnly(2026, 11, 26), reversal.BookingDate);
        Assert.All(file.Transactions, t => Assert.Empty(t.Flags));
    }

    [Fact]
    public void Parse_Camt054V02_IsNotificationWithSameKeyAsStatement()
    {
        var notification = CamtParser.Parse(Fixture.Text("camt054-v02.xml"));

        Assert.Equal(BankSource.Camt054, notification.Format);
        Assert.Equal("camt.054.001.02", notification.MessageVersion);
        Assert.Equal(2, notification.Transactions.Count);
        // The same payment announced in camt.054 and booked in camt.053 must be applied once.
        Assert.Equal(V02.Transactions[0].EntryKey, notification.Transactions[0].EntryKey);
        var second = notification.Transactions[1];
        Assert.Equal(150.00m, second.Amount);
        Assert.Equal("aflossing regeling 3 van 6", second.Remittance);
    }

    [Fact]
    public void Parse_Camt054V08_ReadsReversalAndRf()
    {
        var notification = CamtParser.Parse(Fixture.Text("camt054-v08.xml"));

        Assert.Equal("camt.054.001.08", notification.MessageVersion);
        Assert.Equal("MS02", notification.Transactions[0].ReasonCode);
        Assert.Equal("Geweigerd door debiteur", notification.Transactions[0].ReasonText);
        Assert.Equal("Mevr. S. Jansen-Smit", notification.Transactions[0].DebtorName);
        Assert.Equal("RF5012000400", notification.Transactions[1].Reference);
        Assert.Equal(ReferenceType.CreditorReference, notification.Transactions[1].ReferenceType);
        Assert.Equal("F. EL AMRANI", notification.Transactions[1].DebtorName);
    }

    [Fact]
    public void Parse_BadIbanAndCheckDigit_AcceptedAndFlagged()
    {
        var tx = CamtParser.Parse(Fixture.Text("camt053-bad-data.xml")).Transactions[0];

        Assert.Equal("NL44RABO0123456780", tx.DebtorIban);
        Assert.Equal("9000001200012611", tx.Reference);
        Assert.True(tx.HasFlag(BankDataFlagCode.InvalidDebtorIban));
        Assert.True(tx.HasFlag(BankDataFlagCode.InvalidReference));
        Assert.Contains(tx.Flags, f => f.Detail.Contains("NL44RABO0123456780", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NoBookingDateNoReferenceNoReason_FlaggedWithFallbacks()
    {
        var tx = CamtParser.Parse(Fixture.Text("camt053-bad-data.xml")).Transactions[1];

        Assert.Equal(new DateOnly(2026, 11, 21), tx.BookingDate);
        Assert.True(tx.HasFlag(BankDataFlagCode.MissingBookingDate));
        Assert.True(tx.HasFlag(BankDataFlagCode.MissingBankReference));
        Assert.True(tx.HasFlag(BankDataFlagCode.ReversalWithoutReason));
        // Statement id and entry position: still stable when the same file is read twice.
        Assert.Equal("NL20INGB0001234567|HI-STMT-BAD/2|0", tx.EntryKey);
    }

    [Fact]
    public void Parse_BatchNotAddingUp_FlaggedOnEachTransaction()
    {
        var batch = CamtParser.Parse(Fixture.Text("camt053-bad-data.xml")).Transactions.Where(t => t.BankReference == "HI-REF-0203").ToList();

        Assert.Equal(2, batch.Count);
        Assert.All(batch, t => Assert.True(t.HasFlag(BankDataFlagCode.BatchTotalMismatch)));
    }

    [Fact]
    public void Parse_BatchWithoutDetails_OneTransactionForTotalFlagged()
    {
        var tx = Assert.Single(CamtParser.Parse(Fixture.Text("camt053-bad-data.xml")).Transactions, t => t.BankReference == "HI-REF-0204");

        Assert.Equal(2100.00m, tx.Amount);
        Assert.True(tx.HasFlag(BankDataFlagCode.BatchWithoutDetails));
    }

    [Fact]
    public void Parse_MalformedXml_ThrowsWithLineAndPosition()
    {
        var exception = Assert.Throws<BankFormatException>(() => CamtParser.Parse(Fixture.Text("camt053-malformed.xml")));

        // </Nrty> on line 11 does not close <Ntry>.
        Assert.Equal(11, exception.LineNumber);
        Assert.NotNull(exception.LinePosition);
        Assert.Contains("Nrty", exception.Message, StringComparison.Ordinal);
        Assert.Contains("regel 11", exception.ToDutchMessage("x.xml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Dtd_RefusedNotResolved()
    {
        var exception = Assert.Throws<BankFormatException>(() => CamtParser.Parse(Fixture.Text("camt053-dtd.xml")));

        Assert.Contains("DTD", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, exception.LineNumber);
        Assert.Equal(1, exception.LinePosition);
        Assert.DoesNotContain(File.Exists("/etc/hostname") ? File.ReadAllText("/etc/hostname").Trim() : "\0", exception.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    // A tenant-facing figure must be a plain decimal with a point.
    [InlineData("<Amt Ccy=\"EUR\">12,50</Amt>", "12,50")]
    // Zero and negative amounts are not payments; the sign is CdtDbtInd's job.
    [InlineData("<Amt Ccy=\"EUR\">-5.00</Amt>", "-5.00")]
    [InlineData("<Amt Ccy=\"EUR\">0.00</Amt>", "0.00")]
    public void Parse_BadAmount_ThrowsNamingAmountAndLine(string amountElement, string shown)
    {
        var xml = Minimal(amountElement, "<CdtDbtInd>CRDT</CdtDbtInd>", "<BookgDt><Dt>2026-11-20</Dt></BookgDt>");

        var exception = Assert.Throws<BankFormatException>(() => CamtParser.Parse(xml));

        Assert.Contains(shown, exception.Problem, StringComparison.Ordinal);
        Assert.Equal(6, exception.LineNumber);
        Assert.EndsWith("Ntry/Amt", exception.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingDirection_Throws()
    {
        var xml = Minimal("<Amt Ccy=\"EUR\">1.00</Amt>", "<CdtDbtInd>CREDIT</CdtDbtInd>", "<BookgDt><Dt>2026-11-20</Dt></BookgDt>");

        var exception = Assert.Throws<BankFormatException>(() => CamtParser.Parse(xml));

        Assert.Contains("CREDIT", exception.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadDate_Throws()
    {
        var xml = Minimal("<Amt Ccy=\"EUR\">1.00</Amt>", "<CdtDbtInd>CRDT</CdtDbtInd>", "<BookgDt><Dt>20-11-2026</Dt></BookgDt>");

        var exception = Assert.Throws<BankFormatException>(() => CamtParser.Parse(xml));

        Assert.Contains("20-11-2026", exception.Problem, StringComparison.Ordinal);
    }

    [Theory]
    // Pending (v02 form) and information-only (v08 form) entries may never be booked: flagged.
    [InlineData("<Sts>PDNG</Sts>", true)]
    [InlineData("<Sts><Cd>INFO</Cd></Sts>", true)]
    [InlineData("<Sts><Cd>BOOK</Cd></Sts>", false)]
    public void Parse_EntryStatus_NotBookedFlagged(string status, bool flagged)
    {
        var xml = Minimal("<Amt Ccy=\"EUR\">1.00</Amt>", "<CdtDbtInd>CRDT</CdtDbtInd>", status, "<BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef>");

        var tx = Assert.Single(CamtParser.Parse(xml).Transactions);

        Assert.Equal(flagged, tx.HasFlag(BankDataFlagCode.NotBooked));
    }

    [Fact]
    public void Parse_OtherIsoMessage_ThrowsNamingRootElement()
    {
        const string xml = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"><CstmrCdtTrfInitn/></Document>";

        var exception = Assert.Throws<BankFormatException>(() => CamtParser.Parse(xml));

        Assert.Contains("CstmrCdtTrfInitn", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BatchWithMissingTransactionAmount_ThrowsAtThatTransaction()
    {
        var xml = Minimal("<Amt Ccy=\"EUR\">2.00</Amt>", "<CdtDbtInd>CRDT</CdtDbtInd>", "<BookgDt><Dt>2026-11-20</Dt></BookgDt><NtryDtls><TxDtls/>\n<TxDtls/></NtryDtls>");

        var exception = Assert.Throws<BankFormatException>(() => CamtParser.Parse(xml));

        Assert.Contains("transaction 1 of a batch of 2", exception.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownNamespaceVersion_StillReadByLocalNames()
    {
        var xml = Minimal("<Amt Ccy=\"EUR\">9.99</Amt>", "<CdtDbtInd>CRDT</CdtDbtInd>", "<BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef>")
            .Replace("camt.053.001.02", "camt.053.001.13", StringComparison.Ordinal);

        var file = CamtParser.Parse(xml);

        Assert.Equal("camt.053.001.13", file.MessageVersion);
        Assert.Equal(9.99m, Assert.Single(file.Transactions).Amount);
    }

    private static string Minimal(params string[] entryParts) =>
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n" +
        "<BkToCstmrStmt>\n" +
        "<Stmt><Id>S1</Id>\n" +
        "<Acct><Id><IBAN>NL20INGB0001234567</IBAN></Id></Acct>\n" +
        "<Ntry>\n" +
        string.Join("\n", entryParts) + "\n" +
        "</Ntry></Stmt></BkToCstmrStmt></Document>";
}
