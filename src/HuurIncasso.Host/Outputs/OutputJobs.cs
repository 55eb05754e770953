using System.Globalization;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Host.Outputs;
using HuurIncasso.Host.Scheduling;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Exports;

namespace HuurIncasso.Host.Outputs
{
    /// <summary>
    /// The day's print batch for the mail house: the day's letters plus letters of the week before
    /// that no batch took (written after a batch, or on a weekend). Rerunning rebuilds the same batch.
    /// </summary>
    internal sealed class PrintBatchJob(PrintBatchBuilder builder) : IScheduledJob
    {
        public const string Name = "print-batch";
        public const string Setting = "Documents:PrintBatchSchedule";
        public const string DefaultSchedule = "0 16 * * 1-5";
        public const int LookbackDays = 7;

        public async Task<string> RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
        {
            var day = CaseCore.BusinessDate(occurrence);
            var batch = await builder.BuildPendingAsync(day, LookbackDays, cancellationToken).ConfigureAwait(false);
            if (batch is null)
            {
                return $"print batch {Day(day)}: no letters";
            }

            var late = batch.LateNotices > 0 ? $"; {batch.LateNotices} formal notice(s) posted after the date they carry: check their term" : "";
            return $"print batch {Day(day)}: {batch.Letters} letter(s), {batch.Pages} page(s), {batch.CarriedOver} from earlier days{late}";
        }

        internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The month's early-signal list for the municipality: the month's signals plus those that
    /// came after last month's list. Runs once a month, by default on the 24th, so the list is
    /// there before the 25th.
    /// </summary>
    internal sealed class EarlySignalListJob(ExportListBuilder lists) : IScheduledJob
    {
        public const string Name = "early-signal-list";
        public const string Setting = "Documents:EarlySignalSchedule";
        public const string DefaultSchedule = "0 6 24 * *";

        public async Task<string> RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
        {
            var (name, rows) = await lists.BuildEarlySignalListAsync(CaseCore.BusinessDate(occurrence), cancellationToken).ConfigureAwait(false);
            return $"{name}: {rows} tenant(s)";
        }
    }

    /// <summary>
    /// Yesterday's referral list for each partner (credit bank, public health, debt counselling),
    /// with referrals of the week before that no list took yet.
    /// </summary>
    internal sealed class ReferralExportsJob(ExportListBuilder lists) : IScheduledJob
    {
        public const string Name = "referral-exports";
        public const string Setting = "Documents:ReferralExportsSchedule";
        public const string DefaultSchedule = "0 1 * * *";

        /// <summary>Every partner with a daily list: all but the municipality's monthly early signal.</summary>
        public static readonly IReadOnlyList<Partner> Partners = [.. Enum.GetValues<Partner>().Where(p => p != Partner.EarlySignal)];

        public async Task<string> RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
        {
            var day = CaseCore.BusinessDate(occurrence).AddDays(-1);
            var parts = new List<string>();
            foreach (var partner in Partners)
            {
                var (name, rows) = await lists.BuildReferralListAsync(partner, day, PrintBatchJob.LookbackDays, cancellationToken).ConfigureAwait(false);
                parts.Add($"{name}: {rows}");
            }

            return string.Join(", ", parts);
        }
    }

    /// <summary>Yesterday's CSV of agency updates, ledger postings and re-collections for finance and the agency.</summary>
    internal sealed class DailyExportsJob(ExportListBuilder lists) : IScheduledJob
    {
        public const string Name = "daily-exports";
        public const string Setting = "Documents:DailyExportsSchedule";
        public const string DefaultSchedule = "15 1 * * *";

        public async Task<string> RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
        {
            var day = CaseCore.BusinessDate(occurrence).AddDays(-1);
            var parts = new List<string>();
            foreach (var kind in Integrations.Effects.ExportRecordHandler.Kinds)
            {
                var (name, rows) = await lists.BuildDailyExportAsync(kind, day, cancellationToken).ConfigureAwait(false);
                parts.Add($"{name}: {rows}");
            }

            return string.Join(", ", parts);
        }
    }
}

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Registers what the host adds to the outputs: the mail event webhook, the case's documents and the output jobs.</summary>
    public static class OutputJobsServiceCollectionExtensions
    {
        /// <summary>
        /// The scheduled jobs <c>print-batch</c>, <c>early-signal-list</c>, <c>referral-exports</c> and
        /// <c>daily-exports</c> (see README, Scheduled jobs), plus <see cref="MailEventsService"/> and
        /// <see cref="CaseDocumentsQuery"/>. Needs <c>AddHuurIncassoOutputs</c>, the cases and the scheduling.
        /// </summary>
        public static IServiceCollection AddHuurIncassoOutputJobs(this IServiceCollection services)
        {
            services.AddSingleton<MailEventsService>();
            services.AddSingleton<CaseDocumentsQuery>();
            services.AddScheduledJob<PrintBatchJob>(PrintBatchJob.Name, PrintBatchJob.Setting, PrintBatchJob.DefaultSchedule,
                "Builds the day's print batch for the mail house, with letters earlier batches did not take.");
            services.AddScheduledJob<EarlySignalListJob>(EarlySignalListJob.Name, EarlySignalListJob.Setting, EarlySignalListJob.DefaultSchedule,
                "Builds the month's early-signal list for the municipality.");
            services.AddScheduledJob<ReferralExportsJob>(ReferralExportsJob.Name, ReferralExportsJob.Setting, ReferralExportsJob.DefaultSchedule,
                "Builds yesterday's referral list per partner.");
            services.AddScheduledJob<DailyExportsJob>(DailyExportsJob.Name, DailyExportsJob.Setting, DailyExportsJob.DefaultSchedule,
                "Builds yesterday's CSVs of agency updates, ledger postings and re-collections.");
            return services;
        }
    }
}
