namespace HuurIncasso.Integrations.Banking;

/// <summary>One statement (camt.053 <c>Stmt</c>), notification (camt.054 <c>Ntfctn</c>) or report in a file.</summary>
/// <param name="Id">The bank's id of the statement.</param>
/// <param name="OwnIban">The account the statement is about.</param>
/// <param name="ElectronicSequenceNumber"><c>ElctrncSeqNb</c>, when given.</param>
/// <param name="LegalSequenceNumber"><c>LglSeqNb</c>, when given.</param>
/// <param name="EntryCount">Number of entries (<c>Ntry</c>) in it.</param>
public sealed record BankStatementInfo(string? Id, string? OwnIban, string? ElectronicSequenceNumber, string? LegalSequenceNumber, int EntryCount)
{
    /// <summary>
    /// Key to recognise the same statement delivered twice: own IBAN with the sequence
    /// number (electronic, else legal, else the statement id).
    /// </summary>
    public string StatementKey => $"{OwnIban ?? "-"}|{ElectronicSequenceNumber ?? LegalSequenceNumber ?? Id ?? "-"}";
}

/// <summary>What a bank file or webhook body held.</summary>
/// <param name="Format">camt.053, camt.054, camt.052 or JSON events.</param>
/// <param name="MessageVersion">The ISO 20022 message version from the namespace, e.g. <c>camt.053.001.02</c>; null for JSON.</param>
/// <param name="MessageId"><c>GrpHdr/MsgId</c>, when given.</param>
/// <param name="Statements">The statements or notifications in the file (empty for JSON).</param>
/// <param name="Transactions">Every transaction, batches split, in file order.</param>
public sealed record BankStatementFile(
    BankSource Format,
    string? MessageVersion,
    string? MessageId,
    IReadOnlyList<BankStatementInfo> Statements,
    IReadOnlyList<BankTransaction> Transactions);
