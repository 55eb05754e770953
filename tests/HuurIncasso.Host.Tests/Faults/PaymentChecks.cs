using System.Globalization;
using System.Text.Json;
using HuurIncasso.Integrations.Mail;

namespace HuurIncasso.Host.Tests.Faults;

/// <summary>The "nothing lost, nothing doubled" checks after a fault.</summary>
internal static class PaymentChecks
{
    /// <summary>
    /// Waits until every case has all its payments, then checks that each was applied exactly once:
    /// one PaymentApplied per payment, the amounts add up, one payment row each, nothing kept on the
    /// contract as well, nothing unknown.
    /// </summary>
    public static async Task AssertEveryPaymentAppliedOnceAsync(
        HttpClient admin, string connectionString, string prefix, IReadOnlyList<FaultData.Payment> payments, Func<string, string> caseIdOf, CancellationToken ct)
    {
        var expected = payments.GroupBy(p => p.ContractId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var views = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await FaultData.WaitUntilAsync(async () =>
        {
            foreach (var (contract, list) in expected)
            {
                if (views.ContainsKey(contract)) continue;
                var view = await FaultData.GetCaseAsync(admin, caseIdOf(contract), ct);
                if (view is null) return $"case of {contract} not found";
                var applied = FaultData.AppliedPaymentIds(view.Value);
                if (applied.Count < list.Count) return $"case of {contract} has {applied.Count} of {list.Count} payments";
                views[contract] = view.Value;
            }

            return null;
        }, TimeSpan.FromSeconds(60), ct, async () =>
        {
            // What the engine holds back: poisoned or parked messages, messages still queued.
            var poison = await admin.GetStringAsync("/api/poison", ct);
            var queue = new global::Azure.Storage.Queues.QueueClient(connectionString, prefix + "inbox");
            var queued = (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
            var missing = expected.Keys.Where(c => !views.ContainsKey(c)).Select(c => caseIdOf(c)).FirstOrDefault();
            var view = missing is null ? null : await FaultData.GetCaseAsync(admin, missing, ct);
            var rows = await FaultData.RowsAsync(connectionString, prefix, "payments", ct);
            var contract = missing is null ? null : expected.Keys.First(c => caseIdOf(c) == missing);
            var mine = string.Join("; ", rows.Where(r => r.GetString("ContractId") == contract).Select(r => $"{r.RowKey} case={r.GetString("CaseId")} amount={r.GetString("AmountText")} at={r.Timestamp:O}"));
            var seen = string.Join("; ", (await FaultData.RowsAsync(connectionString, prefix, "bankentries", ct)).Select(r => $"{r.RowKey[..8]} {r.GetString("EntryKey")} {r.GetString("Outcome")}").Where(t => contract is not null && t.Contains(contract, StringComparison.Ordinal)));
            var timeline = view is null ? "" : string.Join(", ", view.Value.GetProperty("timeline").EnumerateArray().Select(e => $"{e.GetProperty("type").GetString()} by {e.GetProperty("causedBy").GetString()} at {e.GetProperty("recordedAt").GetString()}"));
            return $"poison: {poison}; inbox: {queued} queued; payment rows: {rows.Count}; {missing}: payments [{mine}]; seen [{seen}]; timeline [{timeline}]";
        });

        // Late doubles would come from messages still on their way: give the inbox a moment to drain.
        await Task.Delay(1000, ct);
        foreach (var (contract, list) in expected)
        {
            var view = (await FaultData.GetCaseAsync(admin, caseIdOf(contract), ct))!.Value;
            var applied = view.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "PaymentApplied").ToList();
            var ids = applied.Select(e => e.GetProperty("data").GetProperty("paymentId").GetString()).ToList();
            Assert.True(ids.Count == list.Count && ids.Distinct().Count() == ids.Count,
                $"Contract {contract}: {list.Count} payments expected once each, the case applied [{string.Join(", ", ids)}].");
            var total = applied.Sum(e => e.GetProperty("data").GetProperty("amount").GetDecimal());
            Assert.Equal(list.Sum(p => p.Amount), total);
            var paidInFull = list.Sum(p => p.Amount) >= FaultData.Balance;
            Assert.Equal(paidInFull ? "Completed" : "Running", view.GetProperty("status").GetString());
        }

        var rows = await FaultData.RowsAsync(connectionString, prefix, "payments", ct);
        Assert.Equal(payments.Count, rows.Count);
        var keptAsWell = rows.Where(r => string.IsNullOrEmpty(r.GetString("CaseId"))).Select(r => r.GetString("ContractId")).ToList();
        Assert.True(keptAsWell.Count == 0, "Payments recorded without their case (kept on the contract): " + string.Join(", ", keptAsWell));
        var contracts = await FaultData.RowsAsync(connectionString, prefix, "contracts", ct);
        var unapplied = contracts.Where(c => c.GetString("UnappliedPayments") is { Length: > 2 }).Select(c => c.RowKey).ToList();
        Assert.True(unapplied.Count == 0, "Contracts holding a payment that was also applied to their case: " + string.Join(", ", unapplied));
        Assert.Empty(await FaultData.RowsAsync(connectionString, prefix, "unknownpayments", ct));
        Assert.Equal(payments.Count, (await FaultData.RowsAsync(connectionString, prefix, "bankentries", ct)).Count);
    }

    /// <summary>
    /// Waits until no mail or letter of the cases is still pending (a mail left "may have gone out"
    /// by a kill counts as settled: it is never sent again by itself), then checks that no mail
    /// went out twice and that every mail effect went out or is marked uncertain. Returns how many are uncertain.
    /// </summary>
    public static async Task<int> AssertMailsSettledOnceAsync(
        HttpClient admin, MailSink sink, string connectionString, string prefix, IEnumerable<string> caseIds, CancellationToken ct)
    {
        var ids = caseIds.ToList();
        await FaultData.WaitUntilAsync(async () =>
        {
            var log = (await FaultData.RowsAsync(connectionString, prefix, "sentmail", ct)).ToDictionary(r => r.RowKey, r => r.GetString("Status"), StringComparer.Ordinal);
            foreach (var caseId in ids)
            {
                if (await FaultData.GetCaseAsync(admin, caseId, ct) is not { } view) return $"case {caseId} not opened yet";
                if (!view.GetProperty("effects").EnumerateArray().Any()) return $"case {caseId} has no effects yet";
                foreach (var effect in view.GetProperty("effects").EnumerateArray())
                {
                    if (effect.GetProperty("status").GetString() != "Pending") continue;
                    var key = OutgoingMail.MessageKeyOf(effect.GetProperty("id").GetString()!);
                    if (log.GetValueOrDefault(key) != "Sending") return $"effect {effect.GetProperty("id").GetString()} ({effect.GetProperty("kind").GetString()}) of {caseId} still pending";
                }
            }

            return null;
        }, TimeSpan.FromSeconds(60), ct);

        var rows = await FaultData.AssertNoMailTwiceAsync(sink, connectionString, prefix, ct);
        var mailEffects = 0;
        foreach (var caseId in ids)
        {
            var view = (await FaultData.GetCaseAsync(admin, caseId, ct))!.Value;
            foreach (var effect in view.GetProperty("effects").EnumerateArray())
            {
                var key = OutgoingMail.MessageKeyOf(effect.GetProperty("id").GetString()!);
                var row = rows.FirstOrDefault(r => r.RowKey == key);
                if (row is null) continue;
                mailEffects++;
                Assert.True(row.GetString("Status") is "Sent" or "Sending", $"Mail {key} of {caseId}: status {row.GetString("Status")}.");
            }
        }

        // Every case's reminder asked for a mail: none may be missing from the sent log.
        Assert.True(mailEffects >= ids.Count, string.Create(CultureInfo.InvariantCulture, $"{ids.Count} cases but only {mailEffects} mail effects in the sent log."));
        return rows.Count(r => r.GetString("Status") == "Sending");
    }
}
