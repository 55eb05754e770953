using Azure.Monitor.OpenTelemetry.Exporter;
using HuurIncasso.Engine;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// OpenTelemetry for the host: the engine's and storage's traces and metrics, ASP.NET Core's
/// own, exported over OTLP and/or to Application Insights. Nothing is set up when neither is
/// configured, so a developer's machine sends nothing anywhere.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The meters exported: the engine, storage requests, and what ASP.NET Core and Kestrel publish themselves.</summary>
    public static readonly string[] Meters =
        [EngineTelemetry.Name, "HuurIncasso.Storage", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http"];

    /// <summary>The activity sources exported: the engine's spans and incoming HTTP requests.</summary>
    public static readonly string[] Sources = [EngineTelemetry.Name, "Microsoft.AspNetCore"];

    /// <summary>
    /// Settings (standard OpenTelemetry environment variables first, the <c>Telemetry:</c>
    /// section overrides): <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> / <c>Telemetry:OtlpEndpoint</c>,
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> / <c>Telemetry:OtlpProtocol</c> (<c>grpc</c> or
    /// <c>http/protobuf</c>), <c>OTEL_METRIC_EXPORT_INTERVAL</c> / <c>Telemetry:MetricExportIntervalMs</c>,
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> / <c>Telemetry:ApplicationInsightsConnectionString</c>,
    /// <c>OTEL_SERVICE_NAME</c> (default "huurincasso").
    /// </summary>
    /// <exception cref="InvalidOperationException">The endpoint is not an absolute http(s) URI or the protocol is unknown (names the setting).</exception>
    public static IServiceCollection AddHuurIncassoTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = TelemetrySettings.Read(configuration);
        if (settings.OtlpEndpoint is null && settings.ApplicationInsights is null)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName, serviceVersion: typeof(TelemetryServiceCollectionExtensions).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Sources);
                if (settings.OtlpEndpoint is { } endpoint)
                {
                    tracing.AddOtlpExporter(o => settings.ConfigureOtlp(o, endpoint, "v1/traces"));
                }

                if (settings.ApplicationInsights is { } connection)
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = connection);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters);
                if (settings.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter((o, reader) =>
                    {
                        settings.ConfigureOtlp(o, endpoint, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.MetricExportIntervalMs;
                    });
                }

                if (settings.ApplicationInsights is { } connection)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = connection);
                }
            });
        return services;
    }

    private sealed record TelemetrySettings(Uri? OtlpEndpoint, OtlpExportProtocol Protocol, int MetricExportIntervalMs, string? ApplicationInsights, string ServiceName)
    {
        public static TelemetrySettings Read(IConfiguration configuration)
        {
            static string? Value(IConfiguration c, string section, string environment) =>
                NullIfEmpty(c[section]) ?? NullIfEmpty(c[environment]);

            var endpointText = Value(configuration, "Telemetry:OtlpEndpoint", "OTEL_EXPORTER_OTLP_ENDPOINT");
            Uri? endpoint = null;
            if (endpointText is not null && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
            {
                throw new InvalidOperationException($"Telemetry:OtlpEndpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) must be an absolute http(s) address, not '{endpointText}'.");
            }

            var protocol = Value(configuration, "Telemetry:OtlpProtocol", "OTEL_EXPORTER_OTLP_PROTOCOL") switch
            {
                null or "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                var other => throw new InvalidOperationException($"Telemetry:OtlpProtocol (or OTEL_EXPORTER_OTLP_PROTOCOL) must be 'grpc' or 'http/protobuf', not '{other}'."),
            };
            var intervalText = Value(configuration, "Telemetry:MetricExportIntervalMs", "OTEL_METRIC_EXPORT_INTERVAL");
            var interval = 60_000;
            if (intervalText is not null && (!int.TryParse(intervalText, System.Globalization.CultureInfo.InvariantCulture, out interval) || interval < 100))
            {
                throw new InvalidOperationException($"Telemetry:MetricExportIntervalMs (or OTEL_METRIC_EXPORT_INTERVAL) must be a whole number of milliseconds, at least 100, not '{intervalText}'.");
            }

            return new TelemetrySettings(
                endpoint,
                protocol,
                interval,
                Value(configuration, "Telemetry:ApplicationInsightsConnectionString", "APPLICATIONINSIGHTS_CONNECTION_STRING"),
                NullIfEmpty(configuration["OTEL_SERVICE_NAME"]) ?? "huurincasso");
        }

        // Over http/protobuf an endpoint set in code is used as is (only the environment variable
        // gets the signal's path added by the exporter), so add it here, the same for both ways.
        public void ConfigureOtlp(OtlpExporterOptions options, Uri endpoint, string signalPath)
        {
            options.Protocol = Protocol;
            options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf && !endpoint.AbsolutePath.EndsWith(signalPath, StringComparison.Ordinal)
                ? new Uri(endpoint.ToString().TrimEnd('/') + "/" + signalPath)
                : endpoint;
        }

        private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
