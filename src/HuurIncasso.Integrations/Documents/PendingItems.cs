using System.Text.Json;

namespace HuurIncasso.Integrations.Documents;

/// <summary>
/// Which items a list (print batch, early-signal list, referral list) takes: the items of its
/// own period plus the items of earlier periods that no list took yet. Items come in at any
/// moment (a letter after the day's batch, a referral handled late after a retry) while a list
/// leaves once; without this such an item would never leave. Each list keeps the names of the
/// items it took next to itself (<c>{list}.items.json</c>), so building a list again gives the
/// same list plus what came since, and never takes an item another list already took.
/// </summary>
internal static class PendingItems
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The name of the record of what a list took: its name without extension plus <c>.items.json</c>.</summary>
    public static string IncludedName(string listName) => Path.ChangeExtension(listName, null) + ".items.json";

    /// <summary>
    /// The items for the list of the current period, earlier periods first, each in name order.
    /// </summary>
    /// <param name="earlier">Per earlier period: its items prefix and the name of its list (which may not exist).</param>
    public static async Task<IReadOnlyList<string>> SelectAsync(
        DocumentStore documents, IEnumerable<(string ItemsPrefix, string ListName)> earlier, string currentItemsPrefix, CancellationToken cancellationToken)
    {
        var periods = earlier.ToList();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, list) in periods)
        {
            if (await documents.ReadAsync(IncludedName(list), cancellationToken).ConfigureAwait(false) is { } data)
            {
                taken.UnionWith(data.ToObjectFromJson<string[]>(Json) ?? []);
            }
        }

        var items = new List<string>();
        foreach (var (prefix, _) in periods)
        {
            items.AddRange((await documents.ListAsync(prefix, cancellationToken).ConfigureAwait(false)).Where(n => !taken.Contains(n)));
        }

        items.AddRange(await documents.ListAsync(currentItemsPrefix, cancellationToken).ConfigureAwait(false));
        return items;
    }

    /// <summary>Records which items <paramref name="listName"/> took.</summary>
    public static Task WriteIncludedAsync(DocumentStore documents, string listName, IReadOnlyList<string> items, CancellationToken cancellationToken) =>
        documents.WriteAsync(IncludedName(listName), BinaryData.FromObjectAsJson(items, Json), "application/json", cancellationToken);
}
