using HuurIncasso.Host.Inputs;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the inputs: contract register, ledger import (and its monthly timer), bank feed.</summary>
public static class InputsServiceCollectionExtensions
{
    /// <summary>
    /// Settings: <c>Ledger:*</c> (<see cref="LedgerOptions"/>) and <c>Bank:*</c>
    /// (<see cref="BankOptions"/>), validated at start. With <paramref name="runWorkers"/> false
    /// the monthly timer is left to the Functions host.
    /// </summary>
    public static IServiceCollection AddHuurIncassoInputs(this IServiceCollection services, bool runWorkers = true)
    {
        services.TryAddSingletonTime();
        services.AddOptions<LedgerOptions>().BindConfiguration("Ledger").ValidateOnStart();
        services.AddSingleton<IValidateOptions<LedgerOptions>, LedgerOptionsValidator>();
        services.AddOptions<BankOptions>().BindConfiguration("Bank").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<BankOptions>, BankOptionsValidator>();
        services.AddSingleton<ContractRegister>();
        services.AddSingleton<PaymentKeyIndexCache>();
        services.AddSingleton<LedgerImportService>();
        services.AddSingleton<BankFeedService>();
        services.AddHuurIncassoScheduling(runWorkers);
        services.AddScheduledJob<MonthlyLedgerJob>(
            MonthlyLedgerJob.Name, "Ledger:Schedule", LedgerOptions.DefaultSchedule, "Imports the newest ledger file in incoming/.", catchUpMissedRun: true);

        return services;
    }

    private static void TryAddSingletonTime(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
