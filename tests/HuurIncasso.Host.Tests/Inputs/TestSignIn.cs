using System.Security.Claims;
using System.Text.Encodings.Web;
using HuurIncasso.Host.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Host.Tests.Inputs;

/// <summary>
/// A sign-in for tests only: the <c>X-Test-Role</c> header names the caller's role; without it
/// the caller is anonymous. The policies follow <see cref="Roles"/>. Replaced by the real
/// authentication once the host has it.
/// </summary>
internal static class TestSignIn
{
    public const string Header = "X-Test-Role";
    private const string SchemeName = "Test";

    public static void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, Handler>(SchemeName, _ => { });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Administer, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.WorkCases, p => p.RequireRole(Roles.Consultant, Roles.TeamLead, Roles.Admin))
            .AddPolicy(Roles.Approve, p => p.RequireRole(Roles.TeamLead, Roles.Admin));
    }

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers[Header].FirstOrDefault() is not { Length: > 0 } role)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "test-" + role), new Claim(ClaimTypes.Role, role)], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }
}
