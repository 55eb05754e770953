using System.Security.Claims;

namespace HuurIncasso.Host.Security;

/// <summary>The signed-in person as the case core needs them.</summary>
public sealed record CurrentUser(string Id, string DisplayName, IReadOnlyList<string> Roles)
{
    public static CurrentUser From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        // Entra's object id is stable; a display name can change or repeat.
        var id = principal.FindFirstValue("oid") ?? principal.FindFirstValue("http://schemas.microsoft.com/identity/claims/objectidentifier")
            ?? principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? principal.Identity?.Name ?? "";
        var name = principal.Identity?.Name ?? principal.FindFirstValue("preferred_username") ?? id;
        var roles = new[] { HuurIncasso.Host.Security.Roles.Consultant, HuurIncasso.Host.Security.Roles.TeamLead, HuurIncasso.Host.Security.Roles.Admin }.Where(principal.IsInRole).ToArray();
        return new CurrentUser(id, name, roles);
    }

    public bool CanAdminister => Roles.Contains(HuurIncasso.Host.Security.Roles.Admin);

    public bool CanApprove => Roles.Contains(HuurIncasso.Host.Security.Roles.TeamLead) || Roles.Contains(HuurIncasso.Host.Security.Roles.Admin);

    /// <summary>The actor on the case: team leads (and admins acting as one) approve as <see cref="HuurIncasso.Domain.Policies.Role.TeamLead"/>.</summary>
    public HuurIncasso.Domain.Cases.Actor ToActor() => new(Id, CanApprove ? HuurIncasso.Domain.Policies.Role.TeamLead : HuurIncasso.Domain.Policies.Role.Consultant);
}
