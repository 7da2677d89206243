using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Relay;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>
/// A stream given up mid-reply (the caller stops reading, or cancels) must close its connection at once: while
/// it stays open the model goes on generating tokens someone pays for.
/// </summary>
[Trait("Category", "Core")]
public sealed class AbandonedStreamTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stream_left_or_cancelled_mid_reply_closes_its_connection_before_a_drain_would(bool cancel)
    {
        var fake = FakeGateway.CreateDefault();
        fake.Enqueue(RelayStreams.SlowReply(words: 400, pace: TimeSpan.FromMilliseconds(50)));
        await using LoopbackGatewayServer gateway = LoopbackGatewayServer.Start(fake);
        using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = gateway.BaseUrl, ApiKey = FakeGateway.DefaultKey, DefaultModel = FakeGateway.DefaultModel });
        using var stop = new CancellationTokenSource();

        try
        {
            await foreach (ChatUpdate update in client.StreamAsync(TestGateway.Ask("talk"), stop.Token))
            {
                Assert.Equal(1, gateway.OpenConnections);
                if (cancel)
                    await stop.CancelAsync();
                else
                    break;
            }
        }
        catch (OperationCanceledException) when (cancel)
        {
        }

        TimeSpan closedAfter = await OpenConnections.TimeUntilClosedAsync(gateway);
        // A handler that drains would hold it for its drain timeout (2 s) while the reply keeps coming every 50 ms;
        // 1.5 s tells the two apart with room for a loaded machine (1 s failed once under a parallel build).
        Assert.True(closedAfter < TimeSpan.FromSeconds(1.5), $"the connection stayed open {(closedAfter == TimeSpan.MaxValue ? "over 10 s" : closedAfter.TotalMilliseconds.ToString("0") + " ms")} after the stream was given up");
    }
}
