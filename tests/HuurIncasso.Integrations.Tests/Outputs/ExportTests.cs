using System.Text.Json;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Effects;
using HuurIncasso.Integrations.Exports;
using HuurIncasso.Testing;
using Microsoft.Extensions.Options;
using PdfSharp.Pdf.IO;

namespace HuurIncasso.Integrations.Tests.Outputs;

public sealed class ExportTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Committed = new(2026, 12, 7, 7, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task BuildEarlySignalListAsync_ReferralsHandledTwice_ListsEachTenantOnceWithTheConfiguredFields()
    {
        var h = new OutputHarness(azurite);
        await h.Tenants.SetAsync(Samples.Tenant("case-1"), TestContext.Current.CancellationToken);
        await h.Tenants.SetAsync(Samples.Tenant("case-2") with { Name = "A. Jansen", ContractNumber = "C-7" }, TestContext.Current.CancellationToken);
        var handler = new PartnerReferralHandler(h.Tenants, h.Documents);
        var first = Samples.ToEffect(new PartnerReferral(Partner.EarlySignal, 612.40m, 1), "case-1", 8, 0, Committed);
        var second = Samples.ToEffect(new PartnerReferral(Partner.EarlySignal, 1300.00m, 2), "case-2", 9, 0, Committed.AddDays(10));

        await handler.HandleAsync(first, TestContext.Current.CancellationToken);
        await handler.HandleAsync(first, TestContext.Current.CancellationToken);
        await handler.HandleAsync(second, TestContext.Current.CancellationToken);
        var options = Samples.DocumentsOptions;
        options.EarlySignalFields = ["contractNumber", "name", "postalCode", "arrears", "monthsInArrears"];
        var (name, rows) = await new ExportListBuilder(h.Documents, Options.Create(options)).BuildEarlySignalListAsync(new DateOnly(2026, 12, 1), TestContext.Current.CancellationToken);

        Assert.Equal("early-signal/2026-12.csv", name);
        Assert.Equal(2, rows);
        var csv = (await h.Documents.ReadAsync(name, TestContext.Current.CancellationToken))!.ToString();
        Assert.Equal("contractNumber;name;postalCode;arrears;monthsInArrears\r\nC-100234;J. de Vries;3511 XY;612.40;1\r\nC-7;A. Jansen;3511 XY;1300.00;2\r\n", csv);
    }

    [Fact]
    public async Task BuildEarlySignalListAsync_UnknownField_SaysWhichSettingAndField()
    {
        var h = new OutputHarness(azurite);
        var options = Samples.DocumentsOptions;
        options.EarlySignalFields = ["name", "bsn"];

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new ExportListBuilder(h.Documents, Options.Create(options)).BuildEarlySignalListAsync(new DateOnly(2026, 12, 1), TestContext.Current.CancellationToken));

        Assert.Contains("Documents:EarlySignalFields", ex.Message, StringComparison.Ordinal);
        Assert.Contains("bsn", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_CreditBankReferral_GoesToThatPartnersDailyList()
    {
        var h = new OutputHarness(azurite);
        await h.Tenants.SetAsync(Samples.Tenant("case-kb"), TestContext.Current.CancellationToken);
        await new PartnerReferralHandler(h.Tenants, h.Documents).HandleAsync(
            Samples.ToEffect(new PartnerReferral(Partner.CreditBank, 1300.00m, 2), "case-kb", 11, 0, Committed), TestContext.Current.CancellationToken);

        var (name, rows) = await new ExportListBuilder(h.Documents, Options.Create(Samples.DocumentsOptions)).BuildReferralListAsync(Partner.CreditBank, new DateOnly(2026, 12, 7), TestContext.Current.CancellationToken);

        Assert.Equal("referrals/credit-bank/2026-12-07.csv", name);
        Assert.Equal(1, rows);
        Assert.Empty(await h.Documents.ListAsync("early-signal/", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HandleAsync_HandoverTwice_WritesOneVeraJsonCsvAndPdfWithTheLettersAsEvidence()
    {
        var h = new OutputHarness(azurite);
        await h.Tenants.SetAsync(Samples.Tenant("case-ho"), TestContext.Current.CancellationToken);
        await h.Handler.HandleAsync(Samples.ToEffect(Samples.FormalNotice(), "case-ho", 12, 0, Committed), TestContext.Current.CancellationToken);
        var handler = new HandoverDossierHandler(h.Tenants, h.Documents, h.SentLog, Options.Create(Samples.Corporation), Options.Create(Samples.DocumentsOptions));
        var effect = Samples.ToEffect(new HandoverDossier(HandoverTarget.Bailiff, 1250.00m, 187.50m, 0m), "case-ho", 20, 0, Committed.AddDays(20));

        await handler.HandleAsync(effect, TestContext.Current.CancellationToken);
        await handler.HandleAsync(effect, TestContext.Current.CancellationToken);

        Assert.Equal(
            ["handover/case-ho/0000000020-0.csv", "handover/case-ho/0000000020-0.json", "handover/case-ho/0000000020-0.pdf"],
            await h.Documents.ListAsync("handover/", TestContext.Current.CancellationToken));
        using var json = JsonDocument.Parse((await h.Documents.ReadAsync("handover/case-ho/0000000020-0.json", TestContext.Current.CancellationToken))!.ToMemory());
        var root = json.RootElement;
        Assert.Equal("DEU", root.GetProperty("soort").GetProperty("code").GetString());
        Assert.Equal("NIE", root.GetProperty("status").GetProperty("code").GetString());
        Assert.Equal("2026-12-27", root.GetProperty("overdrachtsdatum").GetString());
        Assert.Equal(1437.50m, root.GetProperty("bedrag").GetDecimal());
        Assert.Equal("C-100234", root.GetProperty("overeenkomsten")[0].GetProperty("id").GetString());
        Assert.Equal("letters/case-ho/0000000012-0.pdf", root.GetProperty("huurIncasso").GetProperty("brieven")[0].GetString());
        var csv = (await h.Documents.ReadAsync("handover/case-ho/0000000020-0.csv", TestContext.Current.CancellationToken))!.ToString().Split("\r\n");
        Assert.StartsWith("case-ho;C-100234;DEU;2026-12-27;1250.00;187.50;1437.50;J. de Vries;", csv[1], StringComparison.Ordinal);
        var pdf = (await h.Documents.ReadAsync("handover/case-ho/0000000020-0.pdf", TestContext.Current.CancellationToken))!.ToArray();
        var text = string.Join(' ', PdfText.Extract(pdf).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Totaal over te dragen: € 1.437,50", text, StringComparison.Ordinal);
        Assert.Contains("Overdracht aan: deurwaarder", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildDailyExportAsync_LedgerPostings_OneCsvLinePerEffectWithContractNumber()
    {
        var h = new OutputHarness(azurite);
        await h.Tenants.SetAsync(Samples.Tenant("case-lp"), TestContext.Current.CancellationToken);
        var handler = new ExportRecordHandler("ledgerPosting", h.Tenants, h.Documents);
        var effect = Samples.ToEffect(new LedgerPosting("collection-costs", 187.50m, 0m), "case-lp", 30, 0, Committed);

        await handler.HandleAsync(effect, TestContext.Current.CancellationToken);
        await handler.HandleAsync(effect, TestContext.Current.CancellationToken);
        var (name, rows) = await new ExportListBuilder(h.Documents, Options.Create(Samples.DocumentsOptions)).BuildDailyExportAsync("ledgerPosting", new DateOnly(2026, 12, 7), TestContext.Current.CancellationToken);

        Assert.Equal("exports/ledgerPosting/2026-12-07.csv", name);
        Assert.Equal(1, rows);
        var lines = (await h.Documents.ReadAsync(name, TestContext.Current.CancellationToken))!.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(';');
        var values = lines[1].Split(';');
        Assert.Equal("collection-costs", values[Array.IndexOf(header, "posting")]);
        Assert.Equal("187.50", values[Array.IndexOf(header, "amount")]);
        Assert.Equal("C-100234", values[Array.IndexOf(header, "contractNumber")]);
        Assert.Equal(effect.Id, values[Array.IndexOf(header, "outboxEffectId")]);
    }

    [Fact]
    public void ExportRecordHandler_KindThatIsNoExport_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new ExportRecordHandler("tenantMessage", new Tenants.InMemoryTenantDirectory(), null!));
}
