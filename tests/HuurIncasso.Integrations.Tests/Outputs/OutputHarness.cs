using HuurIncasso.Azure.Storage;
using HuurIncasso.Integrations.Documents;
using HuurIncasso.Integrations.Effects;
using HuurIncasso.Integrations.Mail;
using HuurIncasso.Integrations.Tenants;
using HuurIncasso.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HuurIncasso.Integrations.Tests.Outputs;

/// <summary>The real outputs on the fixture's Azurite, under a prefix of their own.</summary>
internal sealed class OutputHarness
{
    public OutputHarness(AzuriteFixture azurite, IMailTransport? transport = null, DateTimeOffset? now = null)
    {
        Clients = new StorageClients(new StorageOptions { ConnectionString = azurite.ConnectionString, Prefix = AzuriteFixture.UniquePrefix() });
        Time = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        Documents = new DocumentStore(Clients);
        SentLog = new SentMailLog(Clients, Time);
        Transport = transport ?? new CaptureMailTransport(Clients, Time);
        Handler = new TenantMessageHandler(new TemplateRenderer(Samples.TemplatesFolder), Tenants, Transport, SentLog, Documents, Options.Create(Samples.Corporation), Options.Create(Samples.DocumentsOptions), Time);
    }

    public StorageClients Clients { get; }

    public FakeTimeProvider Time { get; }

    public DocumentStore Documents { get; }

    public SentMailLog SentLog { get; }

    public InMemoryTenantDirectory Tenants { get; } = new();

    public IMailTransport Transport { get; }

    public TenantMessageHandler Handler { get; }

    public static SendGridMailTransport SendGrid(FakeSendGrid fake) => new(
        new MailOptions { SendGridApiKey = "SG.test-key", SendGridHost = fake.Host, From = "huurincasso@voorbeeld.nl" },
        Samples.Corporation);
}

/// <summary>Sends through the inner transport, then "crashes" before the handler can write the sent log.</summary>
internal sealed class CrashAfterSend(IMailTransport inner) : IMailTransport
{
    public bool IsIdempotent => inner.IsIdempotent;

    public int Calls { get; private set; }

    public async Task<MailReceipt> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        Calls++;
        await inner.SendAsync(mail, cancellationToken);
        if (Calls == 1)
        {
            throw new IOException("process died after SendGrid accepted the mail");
        }

        return new MailReceipt("unexpected", "");
    }
}

/// <summary>Times out on the first call without reaching the provider: nobody can know that, so it counts as uncertain.</summary>
internal sealed class TimeoutBeforeSend(IMailTransport inner) : IMailTransport
{
    public bool IsIdempotent => inner.IsIdempotent;

    public int Calls { get; private set; }

    public Task<MailReceipt> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Calls == 1 ? throw new TimeoutException("no answer from the provider") : inner.SendAsync(mail, cancellationToken);
    }
}
