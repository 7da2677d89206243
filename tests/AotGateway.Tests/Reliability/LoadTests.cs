using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AotGateway.Tests.Reliability;

/// <summary>Load tests run alone, so the process-wide figures they report are theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadTestsRunAlone
{
    public const string Name = "load";
}

/// <summary>
/// Load against the fake gateway over loopback: every reply correct, no socket left open afterwards.
/// Figures (time, allocation per request, peak working set) are printed, never asserted: times are noise here.
/// </summary>
[Collection(LoadTestsRunAlone.Name)]
public class LoadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    private static GatewayClient NewClient(LoopbackGatewayServer server) => new(new GatewayClientOptions
    {
        BaseUrl = server.BaseUrl,
        ApiKey = FakeGateway.DefaultKey,
        DefaultModel = FakeGateway.DefaultModel,
    });

    /// <summary>Sockets this process holds open (Linux: /proc/self/fd links to socket:[…]).</summary>
    private static int OpenSockets()
    {
        int count = 0;
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal))
                    count++;
            }
            catch (IOException)
            {
                // The descriptor closed while we looked.
            }
        }
        return count;
    }

    private static async Task<string> StreamOneAsync(GatewayClient client, int i)
    {
        var text = new StringBuilder();
        await foreach (ChatUpdate update in client.StreamAsync(TestGateway.Ask("stream " + i)))
            text.Append(Encoding.UTF8.GetString(update.ContentUtf8));
        return text.ToString();
    }

    private static async Task AssertSocketsReleasedAsync(LoopbackGatewayServer server, int socketsBefore)
    {
        // Released means released for good: connections still in the listen backlog when the client let go
        // are accepted (and closed) later, so the count must stay at zero for a while, not touch it once.
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        int quietPolls = 0;
        while (quietPolls < 10 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
            quietPolls = server.OpenConnections == 0 && OpenSockets() <= socketsBefore ? quietPolls + 1 : 0;
        }
        Assert.Equal(0, server.OpenConnections);
        Assert.True(OpenSockets() <= socketsBefore, $"{OpenSockets()} sockets open, {socketsBefore} before the test");
    }

    [Fact]
    public async Task A_thousand_concurrent_streams_from_one_client_all_read_correctly()
    {
        int socketsBefore = OpenSockets();
        const int Streams = 1_000;
        await using (LoopbackGatewayServer server = LoopbackGatewayServer.Start(FakeGateway.CreateDefault()))
        {
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            using (GatewayClient client = NewClient(server))
            {
                var streams = new Task<string>[Streams];
                for (int i = 0; i < Streams; i++)
                    streams[i] = StreamOneAsync(client, i);
                string[] texts = await Task.WhenAll(streams).WaitAsync(Deadline);
                for (int i = 0; i < Streams; i++)
                    Assert.Equal("You said: stream " + i, texts[i]);
            }
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            output.WriteLine($"{Streams} concurrent streams in {clock.ElapsedMilliseconds} ms over {server.AcceptedConnections} connections; " +
                $"{allocated / Streams:N0} B allocated per stream (client and server in one process); peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
            await AssertSocketsReleasedAsync(server, socketsBefore + 1);
        }
        Assert.True(OpenSockets() <= socketsBefore);
    }

    [Fact]
    public async Task Ten_thousand_sequential_calls_reuse_one_connection()
    {
        int socketsBefore = OpenSockets();
        const int Calls = 10_000;
        await using (LoopbackGatewayServer server = LoopbackGatewayServer.Start(FakeGateway.CreateDefault()))
        {
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            using (GatewayClient client = NewClient(server))
            {
                for (int i = 0; i < Calls; i++)
                {
                    ChatCompletion reply = await client.CompleteAsync(TestGateway.Ask("call " + i)).WaitAsync(Deadline);
                    Assert.Equal("You said: call " + i, reply.Content);
                }
            }
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            Assert.Equal(1, server.AcceptedConnections);
            output.WriteLine($"{Calls} sequential calls in {clock.ElapsedMilliseconds} ms; {allocated / Calls:N0} B allocated per call (client and server in one process); " +
                $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
            await AssertSocketsReleasedAsync(server, socketsBefore + 1);
        }
        Assert.True(OpenSockets() <= socketsBefore);
    }
}
