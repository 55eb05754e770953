using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HuurIncasso.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static HuurIncasso.Host.Tests.Web.AuthTests;

namespace HuurIncasso.Host.Tests.Web;

/// <summary>
/// The production sign-in paths through real HTTP: Entra ID bearer tokens, validated by the
/// host's own JwtBearer set-up against a local identity provider on 127.0.0.1 that serves the
/// OpenID metadata and signing keys (as login.microsoftonline.com does), and the Easy Auth header.
/// </summary>
public sealed class EntraAuthTests(AzuriteFixture azurite)
{
    private const string Tenant = "test-tenant";
    private const string Audience = "api://huurincasso-test";

    [Fact]
    public async Task BearerToken_WithRolesClaim_SignsInWithThoseRoles()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var idp = await LocalIdentityProvider.StartAsync();
        await using var host = await StartHostAsync(idp);
        await OpenCaseAsync(host, "J-1");
        using var consultant = Client(host, idp.Token(["consultant"], name: "Ans Entra", oid: "oid-ans"));
        using var erp = Client(host, idp.Token(["erp"], name: "ERP-koppeling", oid: "oid-erp"));

        using var worklist = await consultant.GetAsync("/api/worklist", ct);
        using var approvals = await consultant.GetAsync("/api/approvals", ct);
        using var note = await CommandAsync(consultant, "J-1", "note", new { commandId = "j1-note", note = "via Entra" });
        using var vera = await erp.GetAsync("/api/vera/betalingsregelingen", ct);
        using var erpWorklist = await erp.GetAsync("/api/worklist", ct);

        Assert.Equal(HttpStatusCode.OK, worklist.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, approvals.StatusCode);
        Assert.Equal(HttpStatusCode.OK, note.StatusCode);
        var overview = await consultant.GetFromJsonAsync<JsonElement>("/api/cases/J-1/overview", ct);
        Assert.Equal("Ans Entra", Assert.Single(overview.GetProperty("notes").EnumerateArray()).GetProperty("by").GetString());
        Assert.Equal(HttpStatusCode.OK, vera.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, erpWorklist.StatusCode);
    }

    [Fact]
    public async Task BearerToken_TeamLeadCannotApproveOwnWriteOff_AnotherTeamLeadCan()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var idp = await LocalIdentityProvider.StartAsync();
        await using var host = await StartHostAsync(idp);
        await OpenCaseAsync(host, "J-2");
        // Same display name, different object id: four eyes go by the stable id, not by the name.
        using var first = Client(host, idp.Token(["teamlead"], name: "T. de Vries", oid: "oid-1"));
        using var second = Client(host, idp.Token(["teamlead"], name: "T. de Vries", oid: "oid-2"));
        (await CommandAsync(first, "J-2", "write-off-request", new { commandId = "j2-req", reason = "wsnp" })).Dispose();

        using var own = await CommandAsync(first, "J-2", "write-off-approve", new { commandId = "j2-own" });
        using var other = await CommandAsync(second, "J-2", "write-off-approve", new { commandId = "j2-other" });

        Assert.Equal(HttpStatusCode.Conflict, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    // Each is one thing wrong with an otherwise valid token.
    [InlineData("wrong-audience")]
    [InlineData("expired")]
    [InlineData("other-signing-key")]
    [InlineData("other-issuer")]
    public async Task BearerToken_Invalid_Returns401Problem(string what)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var idp = await LocalIdentityProvider.StartAsync();
        await using var host = await StartHostAsync(idp);
        var token = what switch
        {
            "wrong-audience" => idp.Token(["consultant"], audience: "api://iets-anders"),
            "expired" => idp.Token(["consultant"], expires: DateTime.UtcNow.AddMinutes(-10)),
            "other-signing-key" => idp.Token(["consultant"], key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = LocalIdentityProvider.KeyId }),
            _ => idp.Token(["consultant"], issuer: "https://login.microsoftonline.com/iemand-anders/v2.0"),
        };
        using var client = Client(host, token);

        using var response = await client.GetAsync("/api/worklist", ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EasyAuthHeader_OverHttp_GivesTheRoles_AndAGarbledHeaderIs401()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await RunningHost.StartAsync(azurite, "--Auth:EasyAuth:Enabled=true");
        using var teamLead = EasyAuthClient(host, Principal("teamlead", "0001"));
        using var consultant = EasyAuthClient(host, Principal("consultant", "0002"));
        using var garbled = EasyAuthClient(host, "%%%geen-base64");

        using var asTeamLead = await teamLead.GetAsync("/api/approvals", ct);
        using var asConsultant = await consultant.GetAsync("/api/approvals", ct);
        using var consultantWorklist = await consultant.GetAsync("/api/worklist", ct);
        using var asGarbled = await garbled.GetAsync("/api/worklist", ct);

        Assert.Equal(HttpStatusCode.OK, asTeamLead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asConsultant.StatusCode);
        Assert.Equal(HttpStatusCode.OK, consultantWorklist.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asGarbled.StatusCode);
    }

    [Fact]
    public async Task EasyAuthHeader_WhenNotEnabled_IsIgnored()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        using var client = EasyAuthClient(host, Principal("admin", "0003"));

        using var response = await client.GetAsync("/api/worklist", TestContext.Current.CancellationToken);

        // Outside Easy Auth anyone could send the header: without the setting it counts for nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string Principal(string role, string oid) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = new[] { new { typ = "name", val = "Iemand " + oid }, new { typ = "oid", val = oid }, new { typ = "roles", val = role } },
    })));

    private static HttpClient EasyAuthClient(RunningHost host, string header)
    {
        var client = new HttpClient { BaseAddress = host.Address };
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", header);
        return client;
    }

    private static HttpClient Client(RunningHost host, string token)
    {
        var client = new HttpClient { BaseAddress = host.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private Task<RunningHost> StartHostAsync(LocalIdentityProvider idp) =>
        RunningHost.StartAsync(
            azurite.ConnectionString,
            waitForStorage: true,
            // Only the metadata transport: a loopback identity provider speaks http. Issuer, audience,
            // signature and lifetime are checked exactly as in production.
            configure: b => b.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.RequireHttpsMetadata = false),
            "--Engine:IdlePollDelay=00:00:00.100",
            $"--Auth:Entra:TenantId={Tenant}",
            $"--Auth:Entra:Audience={Audience}",
            $"--Auth:Entra:Instance={idp.Address}");

    /// <summary>OpenID metadata and a signing key on 127.0.0.1, laid out as Entra's v2.0 endpoints.</summary>
    private sealed class LocalIdentityProvider : IAsyncDisposable
    {
        public const string KeyId = "test-key-1";
        private readonly WebApplication _app;
        private readonly RSA _rsa = RSA.Create(2048);

        private LocalIdentityProvider(WebApplication app) => _app = app;

        public Uri Address { get; private set; } = null!;

        private string Issuer => $"{Address.ToString().TrimEnd('/')}/{Tenant}/v2.0";

        public static async Task<LocalIdentityProvider> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var idp = new LocalIdentityProvider(app);
            app.MapGet($"/{Tenant}/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = idp.Issuer,
                ["jwks_uri"] = $"{idp.Address.ToString().TrimEnd('/')}/{Tenant}/discovery/v2.0/keys",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }));
            app.MapGet($"/{Tenant}/discovery/v2.0/keys", () =>
            {
                var p = idp._rsa.ExportParameters(includePrivateParameters: false);
                return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) } } });
            });
            await app.StartAsync(TestContext.Current.CancellationToken);
            idp.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
            return idp;
        }

        public string Token(string[] roles, string name = "Test Gebruiker", string oid = "oid-test", string? audience = null, DateTime? expires = null, SecurityKey? key = null, string? issuer = null)
        {
            var until = expires ?? DateTime.UtcNow.AddMinutes(30);
            return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer ?? Issuer,
                Audience = audience ?? Audience,
                IssuedAt = until.AddMinutes(-60),
                NotBefore = until.AddMinutes(-60),
                Expires = until,
                Claims = new Dictionary<string, object> { ["roles"] = roles, ["name"] = name, ["oid"] = oid },
                SigningCredentials = new SigningCredentials(key ?? new RsaSecurityKey(_rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
            });
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _rsa.Dispose();
        }
    }
}
