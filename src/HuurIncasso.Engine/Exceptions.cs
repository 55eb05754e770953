namespace HuurIncasso.Engine;

/// <summary>A case kept changing under us more often than the retry bound allows.</summary>
public sealed class CaseConcurrencyException(string caseId, int attempts)
    : Exception($"Case {caseId} changed concurrently {attempts} times in a row; the message will be retried.")
{
    /// <summary>The case.</summary>
    public string CaseId { get; } = caseId;

    /// <summary>How often we tried.</summary>
    public int Attempts { get; } = attempts;
}

/// <summary>A message that can never be handled (unreadable, wrong shape): it goes to the poison queue at once.</summary>
public sealed class InvalidCaseMessageException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>A management command that does not fit the case's status (e.g. resume a case that is not suspended).</summary>
public sealed class CaseStatusException(string caseId, CaseStatus status, string command)
    : Exception($"Case {caseId} is {status}: cannot {command}.")
{
    /// <summary>The case.</summary>
    public string CaseId { get; } = caseId;

    /// <summary>Its status.</summary>
    public CaseStatus Status { get; } = status;
}

/// <summary>A case that does not exist.</summary>
public sealed class CaseNotFoundException(string caseId) : Exception($"Case {caseId} does not exist.")
{
    /// <summary>The case.</summary>
    public string CaseId { get; } = caseId;
}

/// <summary>One message produced more than a single atomic commit can hold.</summary>
public sealed class CaseCommitTooLargeException(string caseId, string reason)
    : Exception($"The commit for case {caseId} is too large: {reason}.")
{
    /// <summary>The case.</summary>
    public string CaseId { get; } = caseId;
}
