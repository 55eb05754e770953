using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Host.Tests.Inputs;
using HuurIncasso.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HuurIncasso.Host.Tests.Faults;

/// <summary>
/// A ledger export with broken rows of every kind, through the host's upload: the good rows
/// open their cases, each bad row is reported with its line and column and lands in the
/// rejection file, and that file, once fixed, imports the rest.
/// </summary>
public sealed class BrokenLedgerTests(AzuriteFixture azurite)
{
    // Contract, the good row's value that gets broken, what it becomes, and the column the error must name.
    private static readonly (int Index, string Good, string Bad, string Column)[] Breaks =
    [
        (1, ";1400,00;700,00;700,00;", ";veel;700,00;700,00;", "saldo"),
        (2, ";01-01-2015;", ";31-02-2015;", "ingangsdatum"),
        (3, ";Huurder 3;", ";;", "huurder"),
        (4, ";woning;", ";kasteel;", "objecttype"),
        (5, ";nee;;;", ";ja;;;", "machtigingskenmerk"),
        (6, ";700,00;700,00;0,00;0,00;", ";700,00;600,00;0,00;0,00;", "openstaand_0_30"),
        (7, ";huurder7@voorbeeld.example;", ";huurder7-at-voorbeeld;", "email"),
    ];

    [Fact]
    public async Task LedgerWithBrokenRows_GoodRowsIn_BadRowsReportedByLineAndColumn_FixedRejectionFileImportsTheRest()
    {
        var ct = TestContext.Current.CancellationToken;
        const int FirstContract = 850000;
        const int Contracts = 10;
        await using var host = await InputsFixtures.StartHostAsync(azurite, "--Ledger:Schedule=off");
        var lines = FaultData.Ledger(FirstContract, Contracts).TrimEnd('\n').Split('\n');
        foreach (var (index, good, bad, _) in Breaks)
        {
            Assert.Contains(good, lines[index + 1], StringComparison.Ordinal);
            lines[index + 1] = ReplaceFirst(lines[index + 1], good, bad);
        }

        var broken = string.Join('\n', lines) + "\n";
        using var response = await host.Client.PostAsync("/api/ledger/imports?fileName=grootboek-kapot.csv", new StringContent(broken, Encoding.UTF8, "text/csv"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(Contracts, result.GetProperty("rows").GetInt32());
        Assert.Equal(Contracts - Breaks.Length, result.GetProperty("accepted").GetInt32());
        Assert.Equal(Breaks.Length, result.GetProperty("rejected").GetInt32());
        Assert.Equal(Contracts - Breaks.Length, result.GetProperty("casesOpened").GetInt32());
        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (Line: e.GetProperty("line").GetInt32(), Column: e.GetProperty("column").GetString())).ToList();
        foreach (var (index, _, _, column) in Breaks)
        {
            // Line 1 is the header.
            Assert.Contains((index + 2, column), errors);
        }

        // The good rows' cases open; the bad rows' do not.
        var goodRows = Enumerable.Range(0, Contracts).Where(i => !Breaks.Any(b => b.Index == i)).ToList();
        await FaultData.WaitUntilAsync(async () =>
        {
            foreach (var i in goodRows)
            {
                if (await FaultData.GetCaseAsync(host.Client, InputsFixtures.CaseIdOf(FaultData.ContractId(FirstContract, i)), ct) is not { } view) return $"case of row {i} not open";
                Assert.Equal("Running", view.GetProperty("status").GetString());
            }

            return null;
        }, TimeSpan.FromSeconds(30), ct);
        foreach (var (index, _, _, _) in Breaks)
        {
            Assert.Null(await FaultData.GetCaseAsync(host.Client, InputsFixtures.CaseIdOf(FaultData.ContractId(FirstContract, index)), ct));
        }

        // The rejection file: the header plus 'fout', each bad row as it stood plus what was wrong.
        var clients = host.Services.GetRequiredService<StorageClients>();
        var blob = clients.Blobs.GetBlobContainerClient(clients.Names.ImportsContainer).GetBlobClient(result.GetProperty("rejectionBlob").GetString());
        var rejection = (await blob.DownloadContentAsync(ct)).Value.Content.ToString().TrimStart('\uFEFF').TrimEnd('\n').Split('\n');
        Assert.Equal(FaultData.Header + ";fout", rejection[0]);
        Assert.Equal(Breaks.Length + 1, rejection.Length);
        foreach (var (index, _, bad, column) in Breaks)
        {
            var row = Assert.Single(rejection, r => r.StartsWith(FaultData.ContractId(FirstContract, index) + ";", StringComparison.Ordinal));
            Assert.StartsWith(lines[index + 1] + ";", row, StringComparison.Ordinal);
            Assert.Contains(column, row[(lines[index + 1].Length + 1)..], StringComparison.Ordinal);
        }

        // A person fixes the rejection file and imports it as it is ('fout' column and all).
        var fixedFile = new StringBuilder(rejection[0]).Append('\n');
        foreach (var row in rejection.Skip(1))
        {
            var (_, goodValue, badValue, _) = Breaks.Single(b => row.StartsWith(FaultData.ContractId(FirstContract, b.Index) + ";", StringComparison.Ordinal));
            fixedFile.Append(ReplaceFirst(row, badValue, goodValue)).Append('\n');
        }

        using var again = await host.Client.PostAsync("/api/ledger/imports?fileName=grootboek-hersteld.csv", new StringContent(fixedFile.ToString(), Encoding.UTF8, "text/csv"), ct);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(0, second.GetProperty("rejected").GetInt32());
        Assert.Equal(Breaks.Length, second.GetProperty("casesOpened").GetInt32());
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' not in '{text}'");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }
}
