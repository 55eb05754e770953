using System.Text.RegularExpressions;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Domain.Statutory;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Testing;

namespace HuurIncasso.Integrations.Tests.Outputs;

public sealed class TemplateRendererTests
{
    private static readonly TemplateRenderer Renderer = new(Samples.TemplatesFolder);

    /// <summary>Every template the core can ask for: fixed names in the core plus the step ids of message steps in every shipped policy.</summary>
    public static TheoryData<string> CoreTemplates()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal)
        {
            "formal-notice", "arrangement-confirmation", "reversal-recollect", "reversal-contact", "closing-confirmation",
            "arrangement-broken", "pause-confirmation", "handover-announcement",
        };
        var policies = Directory.EnumerateFiles(RepositoryRoot.Path("policy"), "*.yaml", SearchOption.AllDirectories);
        foreach (var file in policies)
        {
            var policy = PolicyLoader.Load(file).Policy ?? throw new InvalidOperationException($"{file} does not load");
            foreach (var step in policy.Ladder.Where(s => s.Kind is StepKind.Reminder or StepKind.FinalStatement or StepKind.ArrangementOffer))
            {
                names.Add(step.Id);
            }
        }

        return [.. names];
    }

    public static TheoryData<string> AllTemplates() => [.. Renderer.TemplateNames()];

    [Theory]
    [MemberData(nameof(CoreTemplates))]
    public void Exists_EveryTemplateTheCoreAsksFor_IsThere(string template) =>
        Assert.True(Renderer.Exists(template), $"templates/{template}.liquid is missing");

    [Theory]
    [MemberData(nameof(AllTemplates))]
    public async Task RenderAsync_EveryTemplateAsLetterAndMail_GivesSubjectAndCompleteBody(string template)
    {
        foreach (var channel in new[] { Channel.Letter, Channel.Mail })
        {
            var rendered = await Renderer.RenderAsync(template, Samples.Model(template, channel), TestContext.Current.CancellationToken);

            Assert.False(string.IsNullOrWhiteSpace(rendered.Subject));
            Assert.StartsWith("Beste J. de Vries,", rendered.Body, StringComparison.Ordinal);
            Assert.Contains("Woonstichting Voorbeeld", rendered.Body, StringComparison.Ordinal);
            Assert.Contains("030 123 45 67", rendered.Body, StringComparison.Ordinal);
            // No Liquid left over, and no raw invariant amounts or ISO dates for the tenant to read.
            Assert.DoesNotContain("{{", rendered.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("{%", rendered.Body, StringComparison.Ordinal);
            Assert.DoesNotMatch(new Regex(@"\b\d{4}-\d{2}-\d{2}\b"), rendered.Body);
            Assert.DoesNotMatch(new Regex(@"\b\d+\.\d{2}\b"), rendered.Body);
        }
    }

    [Fact]
    public async Task RenderAsync_FormalNotice_StatesTheCostsAndTheSafeFourteenDays()
    {
        var notice = Samples.FormalNotice();
        var rendered = await Renderer.RenderAsync("formal-notice", Samples.Model("formal-notice", data: notice.Data), TestContext.Current.CancellationToken);
        var body = rendered.Body;

        // The exact amount of the costs (WIK on EUR 1,250: 15 % = 187.50).
        Assert.Equal(187.50m, WikCollectionCosts.Calculate(1250.00m).CollectionCosts);
        Assert.Contains("Die kosten zijn € 187,50.", body, StringComparison.Ordinal);
        Assert.Contains("€ 1.250,00", body, StringComparison.Ordinal);
        // The fourteen days start the day after receipt, never at the letter's date.
        Assert.Contains("veertien dagen beginnen op de dag na de dag waarop u deze brief ontvangt", body, StringComparison.Ordinal);
        Assert.DoesNotContain("dagtekening", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("na de datum van deze brief", body, StringComparison.OrdinalIgnoreCase);
        // The concrete last day is delivery + 14, and the letter names the assumed delivery.
        Assert.Contains("op 9 december 2026 ontvangt", body, StringComparison.Ordinal);
        Assert.Contains("uiterlijk op 23 december 2026", body, StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 12, 23), FormalNoticeRules.LastDayToPay(new DateOnly(2026, 12, 9)));
        // Without VAT there is no VAT line.
        Assert.DoesNotContain("btw", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RenderAsync_FormalNoticeWithVat_ShowsVatSeparatelyAndTheTotal()
    {
        var notice = Samples.FormalNotice(vat: 39.38m);
        var rendered = await Renderer.RenderAsync("formal-notice", Samples.Model("formal-notice", data: notice.Data), TestContext.Current.CancellationToken);

        Assert.Contains("Die kosten zijn € 187,50.", rendered.Body, StringComparison.Ordinal);
        Assert.Contains("Daar komt € 39,38 btw bij", rendered.Body, StringComparison.Ordinal);
        Assert.Contains("in totaal € 226,88 aan incassokosten", rendered.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_ArrangementWithSchema_ListsEveryInstalment()
    {
        var data = Samples.Data(("termijnen", "3"), ("eerste", "2027-01-05"), ("bedrag", "150.00"),
            ("schema", "2027-01-05=150.00;2027-02-05=150.00;2027-05-25=950.00"));
        var rendered = await Renderer.RenderAsync("arrangement-confirmation", Samples.Model("arrangement-confirmation", data: data), TestContext.Current.CancellationToken);

        Assert.Contains("- Termijn 1: € 150,00, uiterlijk op 5 januari 2027", rendered.Body, StringComparison.Ordinal);
        Assert.Contains("- Termijn 3: € 950,00, uiterlijk op 25 mei 2027", rendered.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_ArrangementConfirmationFromTheCore_ListsTheWholeScheduleAddingUpToTheTotal()
    {
        // An arrangement as the core agrees it: 1,600 in 5 monthly instalments, the rounding in the last.
        var by = new Domain.Cases.Actor("c.janssen", Role.Consultant);
        var instalments = System.Collections.Immutable.ImmutableArray.Create(
            new Domain.Cases.Instalment(1, new DateOnly(2027, 1, 5), 320.00m), new Domain.Cases.Instalment(2, new DateOnly(2027, 2, 5), 320.00m),
            new Domain.Cases.Instalment(3, new DateOnly(2027, 3, 5), 320.00m), new Domain.Cases.Instalment(4, new DateOnly(2027, 4, 5), 320.00m),
            new Domain.Cases.Instalment(5, new DateOnly(2027, 5, 25), 320.00m));
        var activated = new Domain.Cases.ArrangementActivated("z-R1", by, new DateOnly(2026, 12, 7), 1600.00m, instalments) { Sequence = 9 };
        var message = Assert.IsType<Domain.Cases.TenantMessage>(Assert.Single(Domain.Cases.CaseCore.EffectsOf(activated, Domain.Cases.CaseState.Empty("z"))));

        var rendered = await Renderer.RenderAsync(message.Template, Samples.Model(message.Template, message.Channel, message.Data), TestContext.Current.CancellationToken);

        var lines = rendered.Body.Split('\n').Where(l => l.StartsWith("- Termijn ", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, lines.Count);
        Assert.Equal("- Termijn 1: € 320,00, uiterlijk op 5 januari 2027", lines[0]);
        Assert.Equal("- Termijn 5: € 320,00, uiterlijk op 25 mei 2027", lines[4]);
        Assert.Contains("U betaalt dit in 5 termijnen.", rendered.Body, StringComparison.Ordinal);
    }

    [Theory]
    // Not kept: the tenant is told why it stopped.
    [InlineData("niet-nagekomen", "niet (helemaal) betaald. Daarom is de regeling gestopt.")]
    // Stopped by a consultant.
    [InlineData("geannuleerd", "Wij hebben uw betalingsregeling stopgezet.")]
    public async Task RenderAsync_ArrangementBroken_SaysWhyAndThatTheRestIsDue(string reason, string expected)
    {
        var rendered = await Renderer.RenderAsync("arrangement-broken", Samples.Model("arrangement-broken", data: Samples.Data(("reden", reason))), TestContext.Current.CancellationToken);

        Assert.Contains(expected, rendered.Body, StringComparison.Ordinal);
        Assert.Contains("Op dit moment staat er € 1.250,00 open. Dit hele bedrag moet u nu betalen.", rendered.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_UnknownTemplate_ThrowsNamingTheTemplateAndFile()
    {
        var ex = await Assert.ThrowsAsync<TemplateNotFoundException>(() => Renderer.RenderAsync("bestaat-niet", Samples.Model("x"), TestContext.Current.CancellationToken));

        Assert.Equal("bestaat-niet", ex.Template);
        Assert.Contains("bestaat-niet.liquid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_ValueMissingFromTheCase_ThrowsInsteadOfPrintingAGap()
    {
        // A formal notice without the costs must never be printed.
        var data = Samples.Data(("btw", "0.00"), ("verzonden", "2026-12-07"), ("ontvangen", "2026-12-09"), ("laatsteDag", "2026-12-23"));

        var ex = await Assert.ThrowsAsync<TemplateRenderException>(() => Renderer.RenderAsync("formal-notice", Samples.Model("formal-notice", data: data), TestContext.Current.CancellationToken));

        Assert.Contains("formal-notice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("kosten", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_TemplateWithoutSubjectLine_ThrowsNamingTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("templates");
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "kaal.liquid"), "Beste {{ tenant.name }},", TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<TemplateRenderException>(() => new TemplateRenderer(folder.FullName).RenderAsync("kaal", Samples.Model("kaal"), TestContext.Current.CancellationToken));

        Assert.Contains("kaal.liquid", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Onderwerp:", ex.Message, StringComparison.Ordinal);
    }
}
