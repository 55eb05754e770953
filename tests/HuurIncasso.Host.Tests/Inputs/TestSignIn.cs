namespace HuurIncasso.Host.Tests.Inputs;

/// <summary>
/// Lets a test say with one header which role sends a request; <see cref="SendAsync"/> then sends
/// it through a client that really signed in (the host's own login page) as a user with that
/// role, or through an anonymous client for "anonymous". Without the header the admin sends it.
/// </summary>
internal static class TestSignIn
{
    public const string Header = "X-Test-Role";
    public const string Anonymous = "anonymous";

    private static readonly Dictionary<string, string> UserOf = new(StringComparer.Ordinal)
    {
        ["consultant"] = "ans",
        ["teamlead"] = "tess",
    };

    public static async Task<HttpResponseMessage> SendAsync(this RunningHost host, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var role = request.Headers.TryGetValues(Header, out var values) ? values.Single() : "admin";
        request.Headers.Remove(Header);
        var client = role switch
        {
            Anonymous => host.Anonymous,
            "admin" => host.Client,
            _ => await host.LoginAsync(UserOf[role]),
        };
        return await client.SendAsync(request, cancellationToken);
    }
}
