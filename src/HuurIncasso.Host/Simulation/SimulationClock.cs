namespace HuurIncasso.Host.Simulation;

/// <summary>
/// The virtual clock of a simulation: it stands still until the simulation moves it. Only
/// <see cref="GetUtcNow"/> is virtual; timers created on it (lease renewals of the inbox
/// processor) run on real time and are cancelled long before they fire.
/// </summary>
/// <remarks>Not thread-safe for <see cref="Set"/>; the simulation moves it between engine runs only.</remarks>
internal sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <exception cref="ArgumentOutOfRangeException">The clock would go back.</exception>
    public void Set(DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(now, _now);
        _now = now;
    }
}
