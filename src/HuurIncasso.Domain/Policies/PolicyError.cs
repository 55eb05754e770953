namespace HuurIncasso.Domain.Policies;

/// <summary>One problem in a policy file: where it is (line, field path) and what is wrong, in Dutch.</summary>
public sealed record PolicyError(int Line, string Path, string Message)
{
    /// <summary>E.g. <c>regel 42, ladder[3].wait: '10 dagen' is geen duur</c>.</summary>
    public override string ToString() => Path.Length == 0 ? $"regel {Line}: {Message}" : $"regel {Line}, {Path}: {Message}";

    /// <summary>One line for a terminal or log, prefixed like a compiler: <c>file:line: path: message</c>.</summary>
    public string Format(string fileName) => Path.Length == 0 ? $"{fileName}:{Line}: {Message}" : $"{fileName}:{Line}: {Path}: {Message}";
}

/// <summary>The outcome of loading a policy: the policy, or every error found.</summary>
public sealed record PolicyLoadResult(CollectionPolicy? Policy, IReadOnlyList<PolicyError> Errors, string FileName = "")
{
    /// <summary>Every error as <c>file:line: path: message</c>, in line order.</summary>
    public IEnumerable<string> FormattedErrors => Errors.Select(e => e.Format(FileName));

    public bool IsValid => Policy is not null && Errors.Count == 0;
}
