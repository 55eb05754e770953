using HuurIncasso.Engine;
using HuurIncasso.Integrations.Mail;
using HuurIncasso.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Integrations.Tests.Outputs;

public sealed class RegistrationTests(AzuriteFixture azurite)
{
    private ServiceProvider Build(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:Prefix"] = AzuriteFixture.UniquePrefix(),
            ["Corporation:Name"] = "Woonstichting Voorbeeld",
            ["Corporation:Street"] = "Stationsplein 1",
            ["Corporation:PostalCode"] = "1234 AB",
            ["Corporation:City"] = "Utrecht",
            ["Corporation:Iban"] = "NL91ABNA0417164300",
            ["Corporation:Phone"] = "030 123 45 67",
            ["Corporation:Email"] = "huurincasso@voorbeeld.nl",
            ["Documents:PdfSharpLicense"] = "AGPL",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddHuurIncassoStorage();
        services.AddHuurIncassoOutputs(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddHuurIncassoOutputs_CompleteSettings_RegistersOneHandlerPerOutputKind()
    {
        using var provider = Build();

        var kinds = provider.GetServices<IEffectHandler>().Select(h => h.Kind).Order(StringComparer.Ordinal);

        Assert.Equal(["agencyUpdate", "handoverDossier", "ledgerPosting", "partnerReferral", "recollection", "tenantMessage"], kinds);
        Assert.IsType<CaptureMailTransport>(provider.GetRequiredService<IMailTransport>());
    }

    [Fact]
    public void AddHuurIncassoOutputs_KeySet_SendsThroughSendGrid()
    {
        using var provider = Build(("Mail:SendGridApiKey", "SG.key"), ("Mail:From", "huurincasso@voorbeeld.nl"));

        Assert.IsType<SendGridMailTransport>(provider.GetRequiredService<IMailTransport>());
    }

    [Fact]
    public void AddHuurIncassoOutputs_ExportColumnsConfigured_UsesExactlyThoseColumns()
    {
        using var provider = Build(("Documents:EarlySignalFields:0", "contractNumber"), ("Documents:EarlySignalFields:1", "name"));

        var options = provider.GetRequiredService<IOptions<Integrations.Documents.DocumentsOptions>>().Value;

        Assert.Equal(["contractNumber", "name"], options.EarlySignalFields);
        Assert.Equal(Integrations.Documents.DocumentsOptions.DefaultFields, options.ReferralFields);
    }

    [Theory]
    // A letter with a wrong account number sends payments nowhere.
    [InlineData("Corporation:Iban", "NL91ABNA0417164301", "Corporation:Iban")]
    // Without a name there is no sender on the letter.
    [InlineData("Corporation:Name", "", "Corporation:Name")]
    // A logo that is not there would fail every letter at print time instead of at start.
    [InlineData("Corporation:LogoPath", "geen-logo.png", "Corporation:LogoPath")]
    // PDFsharp 6.5 will not save without a license choice.
    [InlineData("Documents:PdfSharpLicense", "", "Documents:PdfSharpLicense")]
    // A SendGrid key without a sender address cannot send.
    [InlineData("Mail:SendGridApiKey", "SG.key", "Mail:From")]
    public void AddHuurIncassoOutputs_BadSetting_FailsNamingTheSetting(string key, string value, string named)
    {
        using var provider = Build((key, value));

        var ex = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = provider.GetRequiredService<IOptions<Integrations.Documents.CorporationOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<Integrations.Documents.DocumentsOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<MailOptions>>().Value;
        });

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }
}
