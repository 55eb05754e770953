using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Testing;
using PdfSharp.Pdf.IO;

namespace HuurIncasso.Integrations.Tests.Outputs;

public sealed class LetterTests(AzuriteFixture azurite)
{
    // Committed on the posting day of the sample notice (Monday 7 December 2026), 08:30 in Amsterdam.
    private static readonly DateTimeOffset Committed = new(2026, 12, 7, 7, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task HandleAsync_FormalNoticeTwice_WritesOnePdfAtItsEffectNameWithTheStatutoryText()
    {
        var h = new OutputHarness(azurite);
        await h.Tenants.SetAsync(Samples.Tenant("case-notice"), TestContext.Current.CancellationToken);
        var effect = Samples.ToEffect(Samples.FormalNotice(), "case-notice", 12, 0, Committed);

        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);
        await h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken);

        Assert.Equal(["letters/case-notice/0000000012-0.pdf"], await h.Documents.ListAsync("letters/case-notice/", TestContext.Current.CancellationToken));
        Assert.Equal(["print/2026-12-07/items/case-notice/0000000012-0.json"], await h.Documents.ListAsync("print/", TestContext.Current.CancellationToken));
        var pdf = (await h.Documents.ReadAsync("letters/case-notice/0000000012-0.pdf", TestContext.Current.CancellationToken))!.ToArray();
        using (var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import))
        {
            Assert.Equal("Aanmaning: betaal uw huurachterstand binnen 14 dagen", document.Info.Title);
            Assert.Equal(effect.Id, document.Info.Keywords);
            Assert.InRange(document.PageCount, 1, 2);
        }

        // Lines were wrapped at spaces: read the text as one line.
        var text = string.Join(' ', PdfText.Extract(pdf).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("J. de Vries", text, StringComparison.Ordinal);
        Assert.Contains("Lindelaan 12", text, StringComparison.Ordinal);
        Assert.Contains("Utrecht, 7 december 2026", text, StringComparison.Ordinal);
        Assert.Contains("Die kosten zijn € 187,50.", text, StringComparison.Ordinal);
        Assert.Contains("Het bedrag dat openstaat is € 1.250,00.", text, StringComparison.Ordinal);
        Assert.Contains("Die veertien dagen beginnen op de dag na de dag waarop u deze brief ontvangt.", text, StringComparison.Ordinal);
        Assert.Contains("uiterlijk op 23 december 2026", text, StringComparison.Ordinal);
        Assert.Contains("NL91ABNA0417164300", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_FormalNoticeAfterItsPostingDay_IsNotPrinted()
    {
        // The handler runs a day late: the deadline in the letter would be a day too early.
        var h = new OutputHarness(azurite, now: Committed.AddDays(1));
        await h.Tenants.SetAsync(Samples.Tenant("case-late"), TestContext.Current.CancellationToken);
        var effect = Samples.ToEffect(Samples.FormalNotice(), "case-late", 12, 0, Committed);

        var ex = await Assert.ThrowsAsync<FormalNoticeRejectedException>(() => h.Handler.HandleAsync(effect, TestContext.Current.CancellationToken));

        Assert.Contains("2026-12-07", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Documents.ListAsync("letters/", TestContext.Current.CancellationToken));
    }

    [Theory]
    // Deadline one day short of fourteen days after delivery.
    [InlineData("2026-12-07", "2026-12-09", "2026-12-22")]
    // Fourteen days counted from the letter's date, the classic invalid notice.
    [InlineData("2026-12-07", "2026-12-09", "2026-12-21")]
    // Delivered the day it was posted: impossible for a letter.
    [InlineData("2026-12-07", "2026-12-07", "2026-12-21")]
    public void Check_TooEarlyOrImpossibleDates_Rejects(string sent, string delivered, string lastDay)
    {
        var data = Samples.Data(("kosten", "40.00"), ("btw", "0.00"), ("verzonden", sent), ("ontvangen", delivered), ("laatsteDag", lastDay));

        Assert.Throws<FormalNoticeRejectedException>(() => FormalNoticeGuard.Check("case-x", data, new DateOnly(2026, 12, 7)));
    }

    [Fact]
    public async Task BuildAsync_TwoLettersOfADay_GivesOneBatchWithEachLetterOnFreshSheetsAndAManifest()
    {
        var h = new OutputHarness(azurite);
        await h.Tenants.SetAsync(Samples.Tenant("case-a"), TestContext.Current.CancellationToken);
        await h.Tenants.SetAsync(Samples.Tenant("case-b") with { Name = "A. Jansen" }, TestContext.Current.CancellationToken);
        var reminder = new TenantMessage(Channel.Letter, "herinnering", 612.40m, Samples.Data(("stap", "Reminder")));
        await h.Handler.HandleAsync(Samples.ToEffect(reminder, "case-a", 3, 1, Committed), TestContext.Current.CancellationToken);
        await h.Handler.HandleAsync(Samples.ToEffect(reminder, "case-b", 5, 1, Committed), TestContext.Current.CancellationToken);

        var batch = await new PrintBatchBuilder(h.Documents, Microsoft.Extensions.Options.Options.Create(Samples.DocumentsOptions)).BuildAsync(new DateOnly(2026, 12, 7), TestContext.Current.CancellationToken);

        Assert.NotNull(batch);
        Assert.Equal(2, batch.Letters);
        Assert.Equal(0, batch.Pages % 2);
        var pdf = (await h.Documents.ReadAsync("print/2026-12-07.pdf", TestContext.Current.CancellationToken))!.ToArray();
        using (var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import))
        {
            Assert.Equal(batch.Pages, document.PageCount);
        }

        var manifest = (await h.Documents.ReadAsync("print/2026-12-07.csv", TestContext.Current.CancellationToken))!.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, manifest.Length);
        Assert.StartsWith("letters/case-a/0000000003-1.pdf;case-a;", manifest[1], StringComparison.Ordinal);
        Assert.StartsWith("letters/case-b/0000000005-1.pdf;case-b;", manifest[2], StringComparison.Ordinal);
        Assert.Null(await new PrintBatchBuilder(h.Documents, Microsoft.Extensions.Options.Options.Create(Samples.DocumentsOptions)).BuildAsync(new DateOnly(2026, 12, 8), TestContext.Current.CancellationToken));
    }
}
