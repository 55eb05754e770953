using System.Text.Json;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Integrations.Documents;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Integrations.Exports;

/// <summary>
/// Turns the items the handlers keep into the lists that leave the building: the monthly
/// early-signal list (<c>early-signal/{yyyy-MM}.csv</c>, columns from
/// <c>Documents:EarlySignalFields</c>), the partners' daily referral lists and the daily
/// exports of agency updates, ledger postings and re-collections. Building again gives the same
/// list plus items that arrived since. Thread-safe.
/// </summary>
public sealed class ExportListBuilder(DocumentStore documents, IOptions<DocumentsOptions> options)
{
    /// <summary>
    /// Builds the early-signal list of the month of <paramref name="month"/>: the month's signals
    /// plus those of the two months before that no list took yet (signalled after that month's
    /// list left). Returns its name and the number of tenants.
    /// </summary>
    public Task<(string Name, int Rows)> BuildEarlySignalListAsync(DateOnly month, CancellationToken cancellationToken = default) =>
        BuildReferralsAsync(
            [.. Enumerable.Range(1, 2).Reverse().Select(back => month.AddMonths(-back)).Select(m => (ExportNames.EarlySignalItems(m), ExportNames.EarlySignalList(m)))],
            ExportNames.EarlySignalItems(month), ExportNames.EarlySignalList(month), options.Value.EarlySignalFields, "Documents:EarlySignalFields", cancellationToken);

    /// <summary>Builds the referral list of <paramref name="partner"/> for <paramref name="day"/> from that day's referrals.</summary>
    public Task<(string Name, int Rows)> BuildReferralListAsync(Partner partner, DateOnly day, CancellationToken cancellationToken = default) =>
        BuildReferralListAsync(partner, day, 0, cancellationToken);

    /// <summary>
    /// Builds the referral list of <paramref name="partner"/> for <paramref name="day"/>: the day's
    /// referrals plus those of the <paramref name="lookbackDays"/> days before that no list took yet.
    /// </summary>
    public Task<(string Name, int Rows)> BuildReferralListAsync(Partner partner, DateOnly day, int lookbackDays, CancellationToken cancellationToken = default) =>
        partner == Partner.EarlySignal
            ? throw new ArgumentException("The early signal has a monthly list: use BuildEarlySignalListAsync.", nameof(partner))
            : BuildReferralsAsync(
                [.. Enumerable.Range(1, lookbackDays).Reverse().Select(back => day.AddDays(-back)).Select(d => (ExportNames.ReferralItems(partner, d), ExportNames.ReferralList(partner, d)))],
                ExportNames.ReferralItems(partner, day), ExportNames.ReferralList(partner, day), options.Value.ReferralFields, "Documents:ReferralFields", cancellationToken);

    /// <summary>Builds the daily CSV of an export kind (agencyUpdate, ledgerPosting, recollection): one column per field of the items.</summary>
    public async Task<(string Name, int Rows)> BuildDailyExportAsync(string kind, DateOnly day, CancellationToken cancellationToken = default)
    {
        var items = new List<Dictionary<string, string>>();
        foreach (var name in await documents.ListAsync(ExportNames.ExportItems(kind, day), cancellationToken).ConfigureAwait(false))
        {
            var data = await documents.ReadAsync(name, cancellationToken).ConfigureAwait(false);
            if (data is null)
            {
                continue;
            }

            using var json = JsonDocument.Parse(data.ToMemory());
            items.Add(json.RootElement.EnumerateObject().ToDictionary(
                p => p.Name,
                p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText(),
                StringComparer.Ordinal));
        }

        var header = items.SelectMany(i => i.Keys).Where(k => k != "type").Distinct(StringComparer.Ordinal).ToList();
        var listName = ExportNames.ExportList(kind, day);
        var csv = CsvText.Write(header, items.Select(i => (IReadOnlyList<string>)[.. header.Select(h => i.GetValueOrDefault(h, ""))]));
        await documents.WriteAsync(listName, BinaryData.FromString(csv), "text/csv; charset=utf-8", cancellationToken).ConfigureAwait(false);
        return (listName, items.Count);
    }

    private async Task<(string Name, int Rows)> BuildReferralsAsync(
        IReadOnlyList<(string ItemsPrefix, string ListName)> earlier, string itemsPrefix, string listName, string[] fields, string setting, CancellationToken cancellationToken)
    {
        var unknown = fields.Where(f => !ReferralRecord.Fields.ContainsKey(f)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"{setting} names unknown field(s) {string.Join(", ", unknown)}; known: {string.Join(", ", ReferralRecord.Fields.Keys)}.");
        }

        var rows = new List<IReadOnlyList<string>>();
        var items = await PendingItems.SelectAsync(documents, earlier, itemsPrefix, cancellationToken).ConfigureAwait(false);
        foreach (var name in items)
        {
            var data = await documents.ReadAsync(name, cancellationToken).ConfigureAwait(false);
            var record = data?.ToObjectFromJson<ReferralRecord>(ExportJson.Options);
            if (record is not null)
            {
                rows.Add([.. fields.Select(f => ReferralRecord.Fields[f](record))]);
            }
        }

        await documents.WriteAsync(listName, BinaryData.FromString(CsvText.Write(fields, rows)), "text/csv; charset=utf-8", cancellationToken).ConfigureAwait(false);
        await PendingItems.WriteIncludedAsync(documents, listName, items, cancellationToken).ConfigureAwait(false);
        return (listName, rows.Count);
    }
}
