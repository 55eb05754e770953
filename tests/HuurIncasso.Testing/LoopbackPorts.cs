using System.Net;
using System.Net.Sockets;

namespace HuurIncasso.Testing;

/// <summary>
/// Loopback ports for a test that must know a port before anything listens on it (a restart on
/// the same port, a port nobody listens on). Taken below the OS's range for outgoing connections
/// and for listeners on port 0, where the other tests' sockets never land.
/// </summary>
public static class LoopbackPorts
{
    /// <summary><paramref name="count"/> different ports that are free now, below the ephemeral range.</summary>
    public static IReadOnlyList<int> FreeBelowEphemeralRange(int count)
    {
        var low = 32768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            low = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or not readable: Linux's default range starts at 32768.
        }

        var ports = new List<int>();
        var from = Math.Max(1024, low - 20000);
        while (ports.Count < count)
        {
            var port = Random.Shared.Next(from, low);
            if (ports.Contains(port))
            {
                continue;
            }

            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
                ports.Add(port);
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
            finally
            {
                listener.Stop();
            }
        }

        return ports;
    }
}
