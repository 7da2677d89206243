using System;
using System.Diagnostics;
using System.Threading.Tasks;
using AotGateway.Testing;

namespace AotGateway.Tests.Support;

/// <summary>How long a fake gateway over loopback keeps a connection open after a request should have ended.</summary>
internal static class OpenConnections
{
    /// <summary>Polls until the gateway has no open connection (at most 10 s) and returns how long that took.</summary>
    public static async Task<TimeSpan> TimeUntilClosedAsync(LoopbackGatewayServer gateway)
    {
        var clock = Stopwatch.StartNew();
        while (gateway.OpenConnections > 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(10);
        return gateway.OpenConnections == 0 ? clock.Elapsed : TimeSpan.MaxValue;
    }
}
