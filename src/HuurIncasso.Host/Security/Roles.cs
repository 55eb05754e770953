namespace HuurIncasso.Host.Security;

/// <summary>
/// The roles of the people who use HuurIncasso, and the authorization policies built on them.
/// Every endpoint names one of these policies (or is explicitly anonymous, like the
/// HMAC-signed bank webhook); anything else is denied by default.
/// </summary>
public static class Roles
{
    /// <summary>Incassoconsulent: works the worklist, records outcomes, agrees arrangements, requests pauses and write-offs.</summary>
    public const string Consultant = "consultant";

    /// <summary>Teamleider: everything a consultant does, plus approvals (pauses, handovers, write-offs).</summary>
    public const string TeamLead = "teamlead";

    /// <summary>Functioneel/technisch beheer: imports, policy, instance management, poison queue.</summary>
    public const string Admin = "admin";

    /// <summary>The corporation's ERP (an Entra app role for its service principal): reads the VERA resources, nothing else.</summary>
    public const string Erp = "erp";

    /// <summary>Policy: any consultant, team lead or admin.</summary>
    public const string WorkCases = "work-cases";

    /// <summary>Policy: team lead (or admin) approvals.</summary>
    public const string Approve = "approve";

    /// <summary>Policy: admin only.</summary>
    public const string Administer = "administer";

    /// <summary>Policy: the VERA read API (ERP or admin).</summary>
    public const string ReadVera = "read-vera";
}
