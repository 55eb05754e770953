using HuurIncasso.Host.Storage;

namespace HuurIncasso.Host.Web;

/// <summary>Builds the web application: services, then endpoints. Tests use this too.</summary>
public static class HuurIncassoWebHost
{
    /// <summary>The address the host listens on when nothing else is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds (does not start) the host. <paramref name="configure"/> lets tests add settings.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var functionsPort = Functions.FunctionsHosting.Port(builder.Configuration);
        if (functionsPort is { } port)
        {
            // Behind the Functions host: it owns the triggers and talks to this process on 127.0.0.1 only.
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var standalone = functionsPort is null;

        builder.Services.AddHuurIncassoStorage();
        builder.Services.AddSingleton<StorageReadiness>();
        builder.Services.AddHostedService<StorageInitializer>();
        builder.Services.AddHuurIncassoCases(builder.Configuration, runWorkers: standalone);
        builder.Services.AddHuurIncassoTelemetry(builder.Configuration);
        builder.Services.AddHuurIncassoInputs(runWorkers: standalone);
        builder.Services.AddHuurIncassoFunctions();
        builder.Services.AddHuurIncassoOutputs(builder.Configuration);
        builder.Services.AddHuurIncassoOutputJobs();
        if (builder.Configuration.GetValue("Demo:SeedWhenEmpty", false))
        {
            builder.Services.AddHostedService<Inputs.DemoDataSeeder>();
        }
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.AddHuurIncassoAuth();
        builder.Services.AddHuurIncassoWorkspace();
        builder.Services.AddHuurIncassoReports();
        builder.Services.AddOpenApi();
        builder.Services.AddRazorComponents();
        configure?.Invoke(builder);

        var app = builder.Build();
        if (!standalone)
        {
            app.UseFunctionInvocations();
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapHealthApi();
        app.MapOpenApi().RequireAuthorization(Security.Roles.WorkCases);
        app.MapCasesApi();
        app.MapInputsApi();
        app.MapWorkspaceApi();
        app.MapVeraApi();
        app.MapOutputsApi();
        app.MapWorkspaceUi();
        app.MapReportsApi();
        app.MapRazorComponents<Components.App>();
        return app;
    }
}
