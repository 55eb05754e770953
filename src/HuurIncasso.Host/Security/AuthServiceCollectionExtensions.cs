using System.Security.Claims;
using HuurIncasso.Host.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Who may do what. Production: Entra ID bearer tokens (<c>Auth:Entra</c>) and/or the Functions
/// host's Easy Auth header (<c>Auth:EasyAuth:Enabled</c>). Development and tests: users from
/// <c>Auth:LocalUsers</c> with a cookie login. Everything requires a signed-in user unless it
/// says otherwise.
/// </summary>
public static class AuthServiceCollectionExtensions
{
    private const string Selector = "HuurIncasso";

    /// <exception cref="InvalidOperationException">Local users in the Production environment, or wrong local-user settings.</exception>
    public static WebApplicationBuilder AddHuurIncassoAuth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        var users = config.GetSection("Auth:LocalUsers").Get<List<LocalUser>>() ?? [];
        if (users.Count > 0 && builder.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                "Auth:LocalUsers is for development and tests only and is refused in the Production environment; remove it, or set Auth:Entra / Auth:EasyAuth.");
        }

        var errors = LocalUserDirectory.Validate(users);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Wrong local-user settings: " + string.Join(" ", errors));
        }

        var entraTenant = config["Auth:Entra:TenantId"];
        var entraAudience = config["Auth:Entra:Audience"];
        var entra = !string.IsNullOrWhiteSpace(entraTenant) && !string.IsNullOrWhiteSpace(entraAudience);
        var easyAuth = config.GetValue("Auth:EasyAuth:Enabled", false);

        builder.Services.AddSingleton(new LocalUserDirectory(users));
        var auth = builder.Services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "HuurIncasso", o => o.ForwardDefaultSelector = context =>
            {
                var header = context.Request.Headers.Authorization.ToString();
                if (entra && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                {
                    return JwtBearerDefaults.AuthenticationScheme;
                }

                if (easyAuth && context.Request.Headers.ContainsKey(EasyAuthHandler.Header))
                {
                    return EasyAuthHandler.SchemeName;
                }

                return users.Count > 0 || !(entra || easyAuth) ? CookieAuthenticationDefaults.AuthenticationScheme
                    : easyAuth ? EasyAuthHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme;
            })
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.LoginPath = "/inloggen";
                o.LogoutPath = "/uitloggen";
                o.AccessDeniedPath = "/geen-toegang";
                o.Cookie.Name = "huurincasso";
                o.Cookie.HttpOnly = true;
                // Strict: the JSON API accepts the cookie, so no other site may make the browser send it.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.Events.OnRedirectToLogin = c => ApiAware(c, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => ApiAware(c, StatusCodes.Status403Forbidden);
            });
        if (entra)
        {
            var instance = config["Auth:Entra:Instance"] ?? "https://login.microsoftonline.com/";
            auth.AddJwtBearer(o =>
            {
                o.Authority = $"{instance.TrimEnd('/')}/{entraTenant}/v2.0";
                o.Audience = entraAudience;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.RoleClaimType = "roles";
                o.TokenValidationParameters.NameClaimType = "name";
            });
        }

        if (easyAuth)
        {
            auth.AddScheme<AuthenticationSchemeOptions, EasyAuthHandler>(EasyAuthHandler.SchemeName, null);
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.WorkCases, p => p.RequireRole(Roles.Consultant, Roles.TeamLead, Roles.Admin))
            .AddPolicy(Roles.Approve, p => p.RequireRole(Roles.TeamLead, Roles.Admin))
            .AddPolicy(Roles.Administer, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.ReadVera, p => p.RequireRole(Roles.Erp, Roles.Admin));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>API callers get a Dutch problem document for 401 and 403; pages keep the login redirect.</summary>
internal sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!context.Request.Path.StartsWithSegments("/api") || authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var forbidden = authorizeResult.Forbidden;
        if (forbidden)
        {
            await context.ForbidAsync();
        }
        else
        {
            await context.ChallengeAsync();
        }

        context.Response.StatusCode = forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = context.Response.StatusCode,
                Title = forbidden ? "U mag dit niet doen met uw rol." : "U bent niet ingelogd.",
                Detail = forbidden ? "Vraag een teamleider of beheerder als dit wel nodig is." : "Log in en probeer het opnieuw.",
            },
        });
    }
}
