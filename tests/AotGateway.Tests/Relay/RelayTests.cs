using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Relay;

/// <summary>The relay service over loopback against the fake gateway: text relayed, cancellation passed up, the key kept.</summary>
// Beside the NativeAOT publishes, one at a time: the relay is built by its tests, and builds must not overlap.
[Collection(AotGateway.Tests.NativeAot.NativeAotPublishes.Name)]
public sealed class RelayTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_relay_streams_the_gateways_text_as_events_and_ends_with_done(bool inlineIO)
    {
        await using LoopbackGatewayServer gateway = LoopbackGatewayServer.Start(FakeGateway.CreateDefault());
        await using RelayProcess relay = await RelayProcess.StartAsync(await RelayProcess.DllAsync(), gateway.BaseUrl, FakeGateway.DefaultKey, environment: inlineIO ? RelayProcess.InlineIO : null);
        using var http = new HttpClient();
        using var deadline = new CancellationTokenSource(Limit);

        using HttpResponseMessage response = await http.SendAsync(RelayStreams.Post(relay.Address, "hello relay"), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await RelayStreams.ReadEventsAsync(await response.Content.ReadAsStreamAsync(deadline.Token), null, deadline.Token);

        Assert.Equal("You said: hello relay", RelayStreams.Text(events));
        Assert.True(events.Count(e => e.Type == "message") > 1, "the text came as one event: not streamed");
        Assert.Equal("done", events[^1].Type);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_caller_that_goes_away_cancels_the_upstream_request_within_a_second(bool inlineIO)
    {
        var fake = FakeGateway.CreateDefault();
        fake.Enqueue(RelayStreams.SlowReply(words: 400, pace: TimeSpan.FromMilliseconds(50)));
        await using LoopbackGatewayServer gateway = LoopbackGatewayServer.Start(fake);
        await using RelayProcess relay = await RelayProcess.StartAsync(await RelayProcess.DllAsync(), gateway.BaseUrl, FakeGateway.DefaultKey, environment: inlineIO ? RelayProcess.InlineIO : null);
        using var deadline = new CancellationTokenSource(Limit);

        // A caller that really leaves: the default handler would first drain the rest of the reply for up to 2 s.
        using (var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }))
        {
            HttpResponseMessage response = await http.SendAsync(RelayStreams.Post(relay.Address, "talk for a long time"), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            Stream body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var first = await RelayStreams.ReadEventsAsync(body, e => e.Type == "message", deadline.Token);
            Assert.StartsWith("word0", RelayStreams.Text(first), StringComparison.Ordinal);
            Assert.Equal(1, gateway.OpenConnections);
            // The caller goes away: its connection to the relay closes mid-stream.
            response.Dispose();
        }

        TimeSpan closedAfter = await OpenConnections.TimeUntilClosedAsync(gateway);
        Assert.True(closedAfter < TimeSpan.FromSeconds(1), $"the upstream request was still open {(closedAfter == TimeSpan.MaxValue ? "over 10 s" : closedAfter.TotalMilliseconds.ToString("0") + " ms")} after the caller left");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_event_reaches_the_caller_while_the_gateway_has_not_sent_the_next(bool inlineIO)
    {
        // The relay writes updates already read in one go and flushes when the next must be waited for; an event held
        // until the next arrives would leave this test waiting for the release it never gives.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RawHttpServer upstream = RawHttpServer.Start(async exchange =>
        {
            await exchange.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + RelayStreams.ContentChunk("first ") + RelayStreams.ContentChunk("second "));
            await release.Task.WaitAsync(Limit);
            await exchange.WriteAsync(RelayStreams.ContentChunk("third") + "data: [DONE]\n\n");
        });
        await using RelayProcess relay = await RelayProcess.StartAsync(await RelayProcess.DllAsync(), upstream.BaseUrl, "relay-test-key", environment: inlineIO ? RelayProcess.InlineIO : null);
        using var http = new HttpClient();
        using var deadline = new CancellationTokenSource(Limit);
        using var unreleased = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        unreleased.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using HttpResponseMessage response = await http.SendAsync(RelayStreams.Post(relay.Address, "hi"), HttpCompletionOption.ResponseHeadersRead, unreleased.Token);
            using var body = new StreamReader(await response.Content.ReadAsStreamAsync(unreleased.Token));
            var before = await RelayStreams.ReadEventsAsync(body, e => RelayStreams.Text([e]).Contains("second", StringComparison.Ordinal), unreleased.Token);
            Assert.Equal("first second ", RelayStreams.Text(before));

            release.SetResult();
            var after = await RelayStreams.ReadEventsAsync(body, null, deadline.Token);
            Assert.Equal("third", RelayStreams.Text(after));
            Assert.Equal("done", after[^1].Type);
        }
        catch (OperationCanceledException) when (unreleased.IsCancellationRequested && !release.Task.IsCompleted)
        {
            Assert.Fail("the relay held back the events it had (or its headers) while the gateway waited to send the next");
        }
        finally
        {
            release.TrySetResult(); // the upstream's handler ends either way, so its server stops at once
        }
    }

    [Fact]
    public async Task The_key_never_reaches_the_caller_or_the_log_even_when_the_gateway_echoes_it()
    {
        const string Key = "sk-relay-SECRET-0123456789abcdefXYZ";
        // A gateway that refuses the key and echoes it back in its body and a header, as some proxies do.
        await using RawHttpServer upstream = RawHttpServer.Start(async exchange =>
        {
            string echoed = exchange.Head.Split("\r\n").First(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase));
            string body = $"{{\"error\":{{\"message\":\"Invalid key: {echoed} ({Key})\",\"type\":\"authentication_error\"}}}}";
            await exchange.WriteAsync($"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nX-Echo: {Key}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");
        });
        await using RelayProcess relay = await RelayProcess.StartAsync(await RelayProcess.DllAsync(), upstream.BaseUrl, Key);
        using var http = new HttpClient();
        using var deadline = new CancellationTokenSource(Limit);

        string page = await http.GetStringAsync(relay.Address, deadline.Token);
        using HttpResponseMessage response = await http.SendAsync(RelayStreams.Post(relay.Address, "hi"), deadline.Token);
        string events = await response.Content.ReadAsStringAsync(deadline.Token);

        Assert.Contains("<div id=\"out\">", page, StringComparison.Ordinal);
        Assert.Contains("event: error", events, StringComparison.Ordinal);
        Assert.Contains("401", events, StringComparison.Ordinal);
        foreach ((string where, string text) in new[] { ("page", page), ("events", events), ("log", relay.Log) })
        {
            for (int i = 0; i + 8 <= Key.Length; i++)
                Assert.False(text.Contains(Key.Substring(i, 8), StringComparison.Ordinal), $"the {where} holds '{Key.Substring(i, 8)}' of the key: {text}");
        }
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"prompt\":\"\"}")]
    [InlineData("not json")]
    [InlineData("TOO_LARGE")]
    public async Task Bad_input_is_a_400_and_reaches_no_gateway(string body)
    {
        var fake = FakeGateway.CreateDefault();
        await using LoopbackGatewayServer gateway = LoopbackGatewayServer.Start(fake);
        await using RelayProcess relay = await RelayProcess.StartAsync(await RelayProcess.DllAsync(), gateway.BaseUrl, FakeGateway.DefaultKey);
        using var http = new HttpClient();
        string content = body == "TOO_LARGE" ? "{\"prompt\":\"" + new string('x', 20_000) + "\"}" : body;

        using HttpResponseMessage response = await http.PostAsync(new Uri(relay.Address, "/chat"), new StringContent(content, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, gateway.AcceptedConnections);
    }
}
