using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Fake;

/// <summary>What the fake keeps about the requests it serves, and what it does with its own failures.</summary>
[Trait("Category", "Core")]
public class FakeGatewayBookkeepingTests
{
    private static FakeHttpRequest Hello() => new("POST", "/v1/chat/completions",
        new Dictionary<string, string> { ["Authorization"] = "Api-Key " + FakeGateway.DefaultKey },
        Encoding.UTF8.GetBytes("""{"model":"fake/echo-1","messages":[{"role":"user","content":"hello"}]}"""));

    /// <summary>A clock both requests must reach before either goes on: each has taken its number by then.</summary>
    private sealed class MeetingClock : TimeProvider, IDisposable
    {
        private readonly System.Threading.Barrier _meet = new(2);

        public void Dispose() => _meet.Dispose();

        public override DateTimeOffset GetUtcNow()
        {
            Assert.True(_meet.SignalAndWait(TimeSpan.FromSeconds(10)), "the other request never came");
            return new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task Concurrent_requests_never_share_a_completion_id_or_a_request_id()
    {
        // Both requests are inside Handle at once, past their count: an id read from the shared counter would repeat.
        using var clock = new MeetingClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock);
        FakeReply[] replies = await Task.WhenAll(Task.Run(() => gateway.Handle(Hello())), Task.Run(() => gateway.Handle(Hello())));
        var ids = new List<string>();
        var requestIds = new List<string>();
        foreach (FakeReply reply in replies)
        {
            using JsonDocument doc = JsonDocument.Parse(reply.BodyText);
            ids.Add(doc.RootElement.GetProperty("id").GetString()!);
            requestIds.Add(reply.Headers.Single(h => h.Key == "x-request-id").Value);
        }
        Assert.Equal(2, ids.Distinct().Count());
        Assert.Equal(2, requestIds.Distinct().Count());
        // Each reply's two ids carry the same number, as a real gateway's logs would pair them.
        for (int i = 0; i < 2; i++)
            Assert.Equal(ids[i]["chatcmpl-fake-".Length..], requestIds[i]["req_fake_".Length..]);
    }

    [Fact]
    public void The_request_log_keeps_the_newest_requests_up_to_its_capacity()
    {
        FakeGateway gateway = FakeGateway.CreateDefault();
        gateway.RequestLogCapacity = 100;
        for (int i = 0; i < 250; i++)
            gateway.Handle(Hello());
        Assert.Equal(100, gateway.Requests.Count);
        Assert.Equal(250, gateway.RequestCount);
        gateway.RequestLogCapacity = 0;
        gateway.Handle(Hello());
        Assert.Empty(gateway.Requests);
        Assert.Equal(251, gateway.RequestCount);
    }

    /// <summary>A clock that breaks: the emulation itself fails while answering.</summary>
    private sealed class BrokenClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException("the clock broke");
    }

    [Fact]
    public async Task A_failure_inside_the_loopback_server_reaches_the_client_as_a_500_naming_it_and_is_kept()
    {
        var gateway = new FakeGateway(new BrokenClock()).AddModel("fake/echo-1").AddKey(FakeGateway.DefaultKey, "fake/echo-1");
        await using LoopbackGatewayServer server = LoopbackGatewayServer.Start(gateway);
        using var client = new GatewayClient(new GatewayClientOptions
        {
            BaseUrl = server.BaseUrl, ApiKey = FakeGateway.DefaultKey, DefaultModel = "fake/echo-1", Retry = RetryPolicy.None,
            TimeProvider = TimeProvider.System,
        });
        var error = await Assert.ThrowsAsync<GatewayServerException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        Assert.Equal(500, error.StatusCode);
        Assert.Contains("the clock broke", error.Message);
        Assert.IsType<InvalidOperationException>(Assert.Single(server.Failures));
    }
}
