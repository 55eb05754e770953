using System.Collections.Immutable;
using System.Xml.Linq;
using HuurIncasso.Domain.Figures;
using HuurIncasso.Integrations.Reports;

namespace HuurIncasso.Integrations.Tests.Reports;

public sealed class KpiRenderingTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Months with the given tenants-in-arrears values (null: no value) and target at most 10.</summary>
    private static List<MonthFigures> Months(params decimal?[] values) =>
    [
        .. values.Select((v, i) => new MonthFigures(new ReportMonth(2026, 1).AddMonths(i),
            [new KpiFigure(KpiId.TenantsInArrears, v, new KpiTarget(TargetDirection.AtMost, 10m), v is null ? KpiStatus.NoValue : Kpis.Judge(v, new KpiTarget(TargetDirection.AtMost, 10m), new ReportMonth(2026, 1)))])),
    ];

    [Theory]
    [InlineData(1234, KpiUnit.Count, "1.234")]
    [InlineData(1633.333, KpiUnit.Euro, "€ 1.633,33")]
    [InlineData(1.35, KpiUnit.Percent, "1,35 %")]
    public void Value_DutchNotation(decimal value, KpiUnit unit, string expected) => Assert.Equal(expected, KpiText.Value(value, unit));

    [Fact]
    public void Value_None_IsADash() => Assert.Equal("–", KpiText.Value(null, KpiUnit.Euro));

    [Theory]
    [InlineData(TargetDirection.AtMost, 1200, KpiUnit.Euro, null, "hoogstens € 1.200")]
    [InlineData(TargetDirection.AtMost, 1.35, KpiUnit.Percent, null, "hoogstens 1,35 %")]
    [InlineData(TargetDirection.AtLeast, 90, KpiUnit.Percent, 2028, "minstens 90 % vanaf 2028")]
    public void Target_AsPeopleWriteIt(TargetDirection direction, decimal value, KpiUnit unit, int? from, string expected) =>
        Assert.Equal(expected, KpiText.Target(new KpiTarget(direction, value, from), unit));

    [Fact]
    public void Chart_MonthWithoutValue_BreaksTheLine()
    {
        var svg = XDocument.Parse(SvgTrendChart.Render(KpiId.TenantsInArrears, Months(1m, 2m, null, 4m, 5m)));

        // Two segments (Jan-Feb, Apr-May), a dot per value, the target dashed.
        Assert.Equal(2, svg.Descendants(Svg + "polyline").Count());
        Assert.Equal(4, svg.Descendants(Svg + "circle").Count());
        Assert.Single(svg.Descendants(Svg + "line"), l => l.Attribute("stroke-dasharray") is not null);
        Assert.Contains("maart 2026 –", svg.Descendants(Svg + "desc").Single().Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Chart_TitleAndDescription_AreReferencedForScreenReaders()
    {
        var svg = XDocument.Parse(SvgTrendChart.Render(KpiId.TenantsInArrears, Months(3m, 12m), "x-")).Root!;

        Assert.Equal("img", svg.Attribute("role")!.Value);
        Assert.Equal("x-huurders_met_achterstand-title x-huurders_met_achterstand-desc", svg.Attribute("aria-labelledby")!.Value);
        Assert.Equal("Zittende huurders met achterstand, januari 2026 tot en met februari 2026", svg.Element(Svg + "title")!.Value);
        Assert.EndsWith("Doel: hoogstens 10. Per maand: januari 2026 3; februari 2026 12.", svg.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Chart_SameFigures_SameBytes() =>
        Assert.Equal(SvgTrendChart.Render(KpiId.TenantsInArrears, Months(3m, 7m, 12m)), SvgTrendChart.Render(KpiId.TenantsInArrears, Months(3m, 7m, 12m)));

    [Fact]
    public void Chart_Axis_RoundStepsJustAboveTheHighestValue()
    {
        var svg = XDocument.Parse(SvgTrendChart.Render(KpiId.TenantsInArrears, Months(3m, 37m)));

        // 37 / 4 → steps of 10; 40 leaves the 8 % headroom (37 × 1.08 = 39.96), so the axis stops there.
        var labels = svg.Descendants(Svg + "text").Where(t => t.Attribute("text-anchor")?.Value == "end" && t.Attribute("font-weight") is null).Select(t => t.Value).ToList();
        Assert.Equal(["0", "10", "20", "30", "40"], labels);
    }

    [Fact]
    public void Html_NamesTheVerdictInWords()
    {
        var html = KpiHtmlReport.Render("Woonstichting <Test>", Months(3m, 12m));

        Assert.Contains("Woonstichting &lt;Test&gt;", html, StringComparison.Ordinal);
        Assert.Contains("✗ niet gehaald", html, StringComparison.Ordinal);
        Assert.Contains("0 van de 1 doelen gehaald", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_RoundTrip_EmptyValuesStayEmpty()
    {
        var months = Months(3m, null);

        var rows = KpiCsv.Read(new MemoryStream(KpiCsv.Write(months)));

        Assert.Equal([3m, null], rows.Select(r => r.Value));
        Assert.Equal(["ja", ""], rows.Select(r => r.Met));
        Assert.Equal(new DateOnly(2026, 2, 28), rows[1].MeasuredOn);
    }
}
