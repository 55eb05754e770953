using HuurIncasso.Azure.Storage;
using HuurIncasso.Engine;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Effects;
using HuurIncasso.Integrations.Exports;
using HuurIncasso.Integrations.Mail;
using HuurIncasso.Integrations.Tenants;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the outputs: templates, mail, letters, exports and their effect handlers.</summary>
public static class OutputsServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <c>Corporation</c>, <c>Mail</c> and <c>Documents</c> at start and
    /// registers one <see cref="IEffectHandler"/> per output effect kind. Needs
    /// <c>AddHuurIncassoStorage()</c> (the storage clients) and a <see cref="TimeProvider"/>
    /// (TimeProvider.System when none is registered). Mail goes through SendGrid when
    /// <c>Mail:SendGridApiKey</c> is set, else into the mail capture container.
    /// </summary>
    public static IServiceCollection AddHuurIncassoOutputs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CorporationOptions>().Bind(configuration.GetSection(CorporationOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CorporationOptions>, CorporationOptionsValidator>();
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        var documentsSection = configuration.GetSection(DocumentsOptions.SectionName);
        services.AddOptions<DocumentsOptions>().Bind(documentsSection)
            // The binder appends a configured array to the property's default instead of replacing it,
            // so a corporation that lists its own columns would get ours as well.
            .PostConfigure(o =>
            {
                o.EarlySignalFields = ConfiguredOr(documentsSection, nameof(DocumentsOptions.EarlySignalFields), DocumentsOptions.DefaultFields);
                o.ReferralFields = ConfiguredOr(documentsSection, nameof(DocumentsOptions.ReferralFields), DocumentsOptions.DefaultFields);
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp => new TemplateRenderer(sp.GetRequiredService<IOptions<DocumentsOptions>>().Value.TemplatesFullPath));
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<PrintBatchBuilder>();
        services.AddSingleton<SentMailLog>();
        services.TryAddSingleton<ITenantDirectory, TableTenantDirectory>();
        services.AddSingleton<IMailTransport>(sp =>
        {
            var mail = sp.GetRequiredService<IOptions<MailOptions>>().Value;
            return mail.UsesSendGrid
                ? new SendGridMailTransport(mail, sp.GetRequiredService<IOptions<CorporationOptions>>().Value)
                : new CaptureMailTransport(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ExportListBuilder>();
        services.AddSingleton<IEffectHandler, TenantMessageHandler>();
        services.AddSingleton<IEffectHandler, PartnerReferralHandler>();
        services.AddSingleton<IEffectHandler, HandoverDossierHandler>();
        foreach (var kind in ExportRecordHandler.Kinds)
        {
            services.AddSingleton<IEffectHandler>(sp => ActivatorUtilities.CreateInstance<ExportRecordHandler>(sp, kind));
        }

        return services;
    }

    private static string[] ConfiguredOr(IConfigurationSection section, string key, string[] fallback) =>
        section.GetSection(key).Get<string[]>() is { Length: > 0 } configured ? configured : fallback;
}
