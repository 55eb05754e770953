using HuurIncasso.Host.Functions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Azure Functions custom-handler side: the function table and the invocation router.</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>
    /// The table is always there (the <c>functions</c> command writes function.json from it);
    /// the checks at start only apply when <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> is set.
    /// </summary>
    public static IServiceCollection AddHuurIncassoFunctions(this IServiceCollection services)
    {
        services.TryAddSingleton<FunctionTable>();
        services.TryAddSingleton<FunctionInvoker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FunctionsHostingCheck>, FunctionsHostingValidator>());
        services.AddOptions<FunctionsHostingCheck>().ValidateOnStart();
        return services;
    }
}

/// <summary>Puts the invocation router in front of the app.</summary>
public static class FunctionsApplicationBuilderExtensions
{
    /// <summary>
    /// Behind the Functions host, <c>POST /{function}</c> from the Functions host is an invocation
    /// of that function; every other request (the proxied HTTP triggers, with their own paths)
    /// goes on to the app. Call first, before sign-in: the Functions host does not sign in.
    /// </summary>
    public static IApplicationBuilder UseFunctionInvocations(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var table = app.ApplicationServices.GetRequiredService<FunctionTable>();
        var invoker = app.ApplicationServices.GetRequiredService<FunctionInvoker>();
        return app.Use(async (context, next) =>
        {
            if (Invoked(context.Request, table) is { } function)
            {
                await invoker.InvokeAsync(function, context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// The function a request invokes, or null. Only the Functions host's own requests count: they
    /// carry the invocation id and lack the header it puts on every request it proxies from outside.
    /// </summary>
    internal static FunctionDefinition? Invoked(HttpRequest request, FunctionTable table)
    {
        if (!HttpMethods.IsPost(request.Method)
            || !request.Headers.ContainsKey(FunctionsHosting.InvocationIdHeader)
            || request.Headers.ContainsKey(FunctionsHosting.ProxiedRequestHeader))
        {
            return null;
        }

        var path = request.Path.Value;
        if (path is null || path.Length < 2 || path.IndexOf('/', 1) >= 0)
        {
            return null;
        }

        return table.Find(path[1..]);
    }
}
