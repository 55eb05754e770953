using Microsoft.Playwright;

namespace HuurIncasso.Host.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright. Never downloads a browser: <c>./test</c> installs
/// chromium with apt when <c>/usr/bin/chromium</c> is missing.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<BrowserSession> StartAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--lang=nl-NL"],
        });
        return new BrowserSession(playwright, browser);
    }

    /// <summary>A fresh browser context (own cookies) signed in through the login page.</summary>
    public async Task<IPage> LoginAsync(RunningHost host, string name)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.Address.ToString(), Locale = "nl-NL", ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/inloggen");
        await page.GetByLabel("Naam").FillAsync(name);
        await page.GetByLabel("Wachtwoord").FillAsync(RunningHost.Users.Single(u => u.Name == name).Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Werklijst" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Saves a full-page screenshot under <c>artifacts/screenshots/</c> of the repository.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    private static string ScreenshotFolder
    {
        get
        {
            var folder = Path.Combine(RepositoryRoot, "artifacts", "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    private static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HuurIncasso.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? AppContext.BaseDirectory;
        }
    }

    /// <summary>One serious or critical axe-core finding: rule, impact, help text and the elements.</summary>
    public sealed record AxeViolation(string Id, string Impact, string Help, string[] Nodes)
    {
        public override string ToString() => $"{Impact} {Id}: {Help} ({string.Join("; ", Nodes)})";
    }

    /// <summary>
    /// Runs axe-core (npm devDependency, <c>node_modules/axe-core/axe.min.js</c>, installed by
    /// <c>./test</c>) on the page against WCAG 2.x A/AA and best practices; returns the serious
    /// and critical violations.
    /// </summary>
    public static async Task<IReadOnlyList<AxeViolation>> AxeAsync(IPage page)
    {
        var script = Path.Combine(RepositoryRoot, "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"axe-core is missing at {script}: run 'npm ci' (./test does).", script);
        }

        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = script });
        var found = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
              return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) }));
            }
            """);
        return [.. found.EnumerateArray().Select(v => new AxeViolation(
            v.GetProperty("id").GetString()!, v.GetProperty("impact").GetString()!, v.GetProperty("help").GetString()!,
            [.. v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()!)]))];
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
