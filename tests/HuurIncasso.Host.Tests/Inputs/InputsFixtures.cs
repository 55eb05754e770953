using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using HuurIncasso.Integrations.Banking;
using HuurIncasso.Testing;

namespace HuurIncasso.Host.Tests.Inputs;

/// <summary>The ledger file, bank files and signed requests the input tests share.</summary>
internal static class InputsFixtures
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    // 300101 pays by betalingskenmerk, 300102 by direct debit (mandate), 300103 from an IBAN
    // the ledger does not know, 300104 has no arrears, 300105 has an unreadable rent.
    public const string Ledger =
        "contractnummer;huurder;adres;postcode;woonplaats;email;telefoon;geboortedatum;ingangsdatum;einddatum;objecttype;huur;saldo;openstaand_0_30;openstaand_31_60;openstaand_61_90;openstaand_90_plus;automatische_incasso;machtigingskenmerk;iban;betalingskenmerk\n" +
        "300101;J. Visser;Lindelaan 1;3532 AB;Utrecht;j.visser@example.nl;;;01-05-2019;;woning;700,00;700,00;700,00;0,00;0,00;0,00;nee;;NL91ABNA0417164300;7000000000300101\n" +
        "300102;K. Smit;Lindelaan 2;3532 AB;Utrecht;;;;01-05-2020;;woning;650,00;650,00;650,00;0,00;0,00;0,00;ja;MND-300102;NL20INGB0001234567;5000000000300102\n" +
        "300103;L. de Boer;Lindelaan 3;3532 AB;Utrecht;;;;01-05-2021;;woning;800,00;800,00;800,00;0,00;0,00;0,00;nee;;;\n" +
        "300104;M. Mulder;Lindelaan 4;3532 AB;Utrecht;;;;01-05-2022;;woning;720,00;0,00;0,00;0,00;0,00;0,00;nee;;;\n" +
        "300105;N. Bos;Lindelaan 5;3532 AB;Utrecht;;;;01-05-2022;;woning;veel;100,00;100,00;0,00;0,00;0,00;nee;;;\n";

    public static string CaseIdOf(string contractId) => $"{contractId}-{DateTime.UtcNow:yyyy-MM}";

    public static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A camt.053.001.02 statement with the given entries (see the entry helpers).</summary>
    public static string Camt053(int sequence, params string[] entries) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>HI-E2E-{sequence}</MsgId><CreDtTm>{Today}T06:00:00+01:00</CreDtTm></GrpHdr>
            <Stmt>
              <Id>HI-E2E-STMT-{sequence}</Id>
              <ElctrncSeqNb>{sequence}</ElctrncSeqNb>
              <CreDtTm>{Today}T06:00:00+01:00</CreDtTm>
              <Acct><Id><IBAN>NL02ABNA0123456789</IBAN></Id><Ccy>EUR</Ccy></Acct>
              {string.Join("\n", entries)}
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """;

    /// <summary>A transfer paid with a betalingskenmerk.</summary>
    public static string CreditWithReference(string bankRef, decimal amount, string reference, string name, string iban) => $"""
        <Ntry>
          <Amt Ccy="EUR">{Amount(amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
          <BookgDt><Dt>{Today}</Dt></BookgDt><AcctSvcrRef>{bankRef}</AcctSvcrRef>
          <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
          <NtryDtls><TxDtls>
            <AmtDtls><TxAmt><Amt Ccy="EUR">{Amount(amount)}</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct></RltdPties>
            <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>CUR</Issr></Tp><Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf>
          </TxDtls></NtryDtls>
        </Ntry>
        """;

    /// <summary>A transfer with only free text: matches no contract by key.</summary>
    public static string CreditWithoutReference(string bankRef, decimal amount, string name, string iban) => $"""
        <Ntry>
          <Amt Ccy="EUR">{Amount(amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
          <BookgDt><Dt>{Today}</Dt></BookgDt><AcctSvcrRef>{bankRef}</AcctSvcrRef>
          <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
          <NtryDtls><TxDtls>
            <AmtDtls><TxAmt><Amt Ccy="EUR">{Amount(amount)}</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct></RltdPties>
            <RmtInf><Ustrd>voor mijn zoon</Ustrd></RmtInf>
          </TxDtls></NtryDtls>
        </Ntry>
        """;

    /// <summary>A direct debit collected, or (with <paramref name="returnReason"/>) returned.</summary>
    public static string DirectDebit(string bankRef, decimal amount, string mandateId, string endToEndId, string? returnReason = null) => $"""
        <Ntry>
          <Amt Ccy="EUR">{Amount(amount)}</Amt><CdtDbtInd>{(returnReason is null ? "CRDT" : "DBIT")}</CdtDbtInd>
          {(returnReason is null ? "" : "<RvslInd>true</RvslInd>")}
          <Sts>BOOK</Sts>
          <BookgDt><Dt>{Today}</Dt></BookgDt><AcctSvcrRef>{bankRef}</AcctSvcrRef>
          <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RDDT</Cd><SubFmlyCd>{(returnReason is null ? "ESDD" : "UPDD")}</SubFmlyCd></Fmly></Domn></BkTxCd>
          <NtryDtls><TxDtls>
            <Refs><EndToEndId>{endToEndId}</EndToEndId><MndtId>{mandateId}</MndtId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">{Amount(amount)}</Amt></TxAmt></AmtDtls>
            {(returnReason is null ? "" : $"<RtrInf><Rsn><Cd>{returnReason}</Cd></Rsn></RtrInf>")}
          </TxDtls></NtryDtls>
        </Ntry>
        """;

    /// <summary>A request to the webhook signed with <see cref="Secret"/> (or <paramref name="secret"/>).</summary>
    public static HttpRequestMessage Signed(string body, string contentType, string? secret = null, DateTimeOffset? at = null, string? id = null)
    {
        id ??= "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = at ?? DateTimeOffset.UtcNow;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/bank/webhook")
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        request.Headers.Add(WebhookSignature.IdHeader, id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(id, timestamp, body, secret ?? Secret));
        return request;
    }

    public static HttpRequestMessage LedgerUpload(string csv, string? role = "admin")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ledger/imports?fileName=grootboek.csv")
        {
            Content = new StringContent(csv, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        request.Headers.Add(TestSignIn.Header, role ?? TestSignIn.Anonymous);
        return request;
    }

    public static Task<RunningHost> StartHostAsync(AzuriteFixture azurite, params string[] extraArgs) =>
        RunningHost.StartAsync(azurite.ConnectionString, waitForStorage: true, configure: null,
        [
            "--Engine:IdlePollDelay=00:00:00.100",
            $"--Bank:WebhookSecrets:0={Secret}",
            .. extraArgs,
        ]);

    private static string Amount(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
