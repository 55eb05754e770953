namespace HuurIncasso.Host.Components;

/// <summary>The engine's stage names in Dutch for the screen.</summary>
public static class StageText
{
    public static string Of(string stage) => stage switch
    {
        "new" => "Nieuw",
        "open" => "Open",
        "closed" => "Afgesloten",
        "written-off" => "Afgeboekt",
        "handed-over" => "Overgedragen",
        "paused" => "Pauze",
        "pause-requested" => "Pauze aangevraagd",
        "instalment-missed" => "Termijn gemist",
        "arrangement" => "Betalingsregeling",
        "approval" => "Wacht op goedkeuring",
        "step" => "Stap gezet",
        _ when stage.StartsWith("approval:", StringComparison.Ordinal) => "Wacht op goedkeuring: " + stage["approval:".Length..],
        _ when stage.StartsWith("step:", StringComparison.Ordinal) => "Stap gezet: " + stage["step:".Length..],
        _ => stage,
    };
}
