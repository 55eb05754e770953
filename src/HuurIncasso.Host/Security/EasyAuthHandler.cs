using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Security;

/// <summary>
/// Reads the user that App Service / Functions authentication ("Easy Auth") put in the
/// <c>X-MS-CLIENT-PRINCIPAL</c> header. Only trust this behind Easy Auth: the platform strips
/// the header from outside requests, so the setting <c>Auth:EasyAuth:Enabled</c> turns it on.
/// </summary>
internal sealed class EasyAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "EasyAuth";
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var value) || string.IsNullOrEmpty(value))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(Parse(value.ToString()) is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName))
            : AuthenticateResult.Fail($"{Header} is not a valid client principal."));
    }

    /// <summary>The principal in the header (base64 JSON), or null when it cannot be read.</summary>
    internal static ClaimsPrincipal? Parse(string base64)
    {
        try
        {
            var json = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var p = JsonSerializer.Deserialize<ClientPrincipal>(json, JsonOptions);
            if (p?.Claims is null)
            {
                return null;
            }

            var nameType = string.IsNullOrEmpty(p.NameType) ? ClaimTypes.Name : p.NameType;
            var roleType = string.IsNullOrEmpty(p.RoleType) ? ClaimTypes.Role : p.RoleType;
            var claims = p.Claims.Where(c => c.Typ is not null && c.Val is not null).Select(c => new Claim(c.Typ!, c.Val!)).ToList();
            // Entra app roles arrive as "roles"; make them count as roles whatever role_typ says.
            claims.AddRange(p.Claims.Where(c => c.Typ == "roles" && roleType != "roles" && c.Val is not null).Select(c => new Claim(roleType, c.Val!)));
            return new ClaimsPrincipal(new ClaimsIdentity(claims, p.AuthenticationType ?? SchemeName, nameType, roleType));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record ClientPrincipal(
        [property: System.Text.Json.Serialization.JsonPropertyName("auth_typ")] string? AuthenticationType,
        [property: System.Text.Json.Serialization.JsonPropertyName("name_typ")] string? NameType,
        [property: System.Text.Json.Serialization.JsonPropertyName("role_typ")] string? RoleType,
        [property: System.Text.Json.Serialization.JsonPropertyName("claims")] IReadOnlyList<ClientClaim>? Claims);

    private sealed record ClientClaim(string? Typ, string? Val);
}
