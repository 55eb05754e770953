using System.CommandLine;
using System.Text.Json;
using HuurIncasso.Domain.Statutory;

namespace HuurIncasso.Host.Cli;

/// <summary><c>huurincasso wik AMOUNT [--json]</c>: the statutory collection costs on a principal.</summary>
internal static class WikCommand
{
    public static Command Create()
    {
        var amount = new Argument<string>("bedrag")
        {
            Description = "De hoofdsom in euro, bijvoorbeeld 2500, 2500,50 of 2.500,00.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Schrijf de berekening als JSON.",
        };
        var command = new Command("wik", "Bereken de wettelijke incassokosten (WIK-staffel) over een hoofdsom.")
        {
            amount,
            json,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetRequiredValue(amount),
            parse.GetValue(json),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            ct));
        return command;
    }

    public static async Task<int> RunAsync(string amountText, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!EuroAmount.TryParse(amountText, out var principal))
        {
            await error.WriteLineAsync(
                $"Ongeldig bedrag '{amountText}' (argument <bedrag>): gebruik alleen cijfers met hoogstens twee decimalen, bijvoorbeeld 2500, 2500,50 of 2.500,00.")
                .ConfigureAwait(false);
            return HuurIncassoCommandLine.UsageError;
        }

        var calculation = WikCollectionCosts.Calculate(principal);
        var text = json ? Json(calculation) : Table(calculation);
        await output.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static string Table(WikCalculation calculation)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        writer.WriteLine($"Wettelijke incassokosten over een hoofdsom van {EuroAmount.Format(calculation.Principal)}");
        writer.WriteLine();
        if (calculation.Principal == 0m)
        {
            writer.WriteLine("Er is geen hoofdsom, dus er zijn geen incassokosten.");
            return writer.ToString();
        }

        const string Format = "{0,-34}{1,8}{2,18}{3,14}";
        writer.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, Format, "Schijf", "Tarief", "Over", "Bedrag"));
        foreach (var bracket in calculation.Brackets)
        {
            var range = bracket.To is { } to
                ? $"{EuroAmount.Format(bracket.From)} tot {EuroAmount.Format(to)}"
                : $"boven {EuroAmount.Format(bracket.From)}";
            writer.WriteLine(string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                Format,
                range,
                EuroAmount.FormatPercent(bracket.RatePercent),
                EuroAmount.Format(bracket.BaseInBracket),
                EuroAmount.Format(bracket.Amount)));
        }

        writer.WriteLine(new string('-', 74));
        writer.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, Format, "Incassokosten", "", "", EuroAmount.Format(calculation.CollectionCosts)));
        if (calculation.MinimumApplied)
        {
            writer.WriteLine($"De staffel geeft minder dan {EuroAmount.Format(WikCollectionCosts.Minimum)}. Daarom geldt het wettelijke minimum van {EuroAmount.Format(WikCollectionCosts.Minimum)}.");
        }

        if (calculation.MaximumApplied)
        {
            writer.WriteLine($"De staffel geeft meer dan {EuroAmount.Format(WikCollectionCosts.Maximum)}. Daarom geldt het wettelijke maximum van {EuroAmount.Format(WikCollectionCosts.Maximum)}.");
        }

        writer.WriteLine("Dit bedrag is zonder btw.");
        return writer.ToString();
    }

    private static string Json(WikCalculation calculation)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("principal", EuroAmount.Cents(calculation.Principal));
            json.WriteNumber("collectionCosts", EuroAmount.Cents(calculation.CollectionCosts));
            json.WriteBoolean("minimumApplied", calculation.MinimumApplied);
            json.WriteBoolean("maximumApplied", calculation.MaximumApplied);
            json.WriteStartArray("brackets");
            foreach (var bracket in calculation.Brackets)
            {
                json.WriteStartObject();
                json.WriteNumber("from", EuroAmount.Cents(bracket.From));
                if (bracket.To is { } to)
                {
                    json.WriteNumber("to", EuroAmount.Cents(to));
                }
                else
                {
                    json.WriteNull("to");
                }

                json.WriteNumber("ratePercent", bracket.RatePercent);
                json.WriteNumber("baseInBracket", EuroAmount.Cents(bracket.BaseInBracket));
                json.WriteNumber("amount", EuroAmount.Cents(bracket.Amount));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }
}
