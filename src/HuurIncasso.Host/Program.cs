using HuurIncasso.Host.Cli;

// One executable, many jobs: `huurincasso` (or `huurincasso serve`) runs the web host;
// the other commands are the tools a team lead or IT department runs by hand.
return await HuurIncassoCommandLine.RunAsync(args, Console.Out, Console.Error);

/// <summary>The entry point, visible to tests.</summary>
public partial class Program;
