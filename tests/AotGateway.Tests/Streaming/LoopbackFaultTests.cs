using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>Faults over real sockets on 127.0.0.1: each ends in its typed outcome, nothing hangs, no connection is left open.</summary>
[Trait("Category", "Core")]
public sealed class LoopbackFaultTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly FakeGateway _gateway = FakeGateway.CreateDefault();
    private LoopbackGatewayServer _server = null!;
    private GatewayClient _client = null!;

    public Task InitializeAsync()
    {
        _server = LoopbackGatewayServer.Start(_gateway);
        _client = NewClient(TimeSpan.FromSeconds(10));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private GatewayClient NewClient(TimeSpan idle) => new(new GatewayClientOptions
    {
        BaseUrl = _server.BaseUrl,
        ApiKey = FakeGateway.DefaultKey,
        DefaultModel = FakeGateway.DefaultModel,
        StreamIdleTimeout = idle,
        Retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(10) },
    });

    /// <summary>The body the emulation would stream for this prompt, to replay with a fault.</summary>
    private static FakeReply StreamedReply(string prompt)
    {
        string body = """{"model":"fake/echo-1","messages":[{"role":"user","content":"PROMPT"}],"stream":true,"stream_options":{"include_usage":true}}""".Replace("PROMPT", prompt, StringComparison.Ordinal);
        return FakeGateway.CreateDefault().Handle(new FakeHttpRequest("POST", "/v1/chat/completions",
            new Dictionary<string, string> { ["Authorization"] = "Api-Key " + FakeGateway.DefaultKey }, Encoding.UTF8.GetBytes(body)));
    }

    private async Task AssertNoConnectionLeftOpenAsync()
    {
        _client.Dispose();
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_server.OpenConnections > 0 && DateTime.UtcNow < until)
            await Task.Delay(20);
        Assert.Equal(0, _server.OpenConnections);
    }

    [Fact]
    public async Task A_stream_over_sockets_reads_whole()
    {
        ChatCompletion completion = await _client.StreamAsync(TestGateway.Ask("over real sockets")).ToCompletionAsync().WaitAsync(Deadline);
        Assert.Equal("You said: over real sockets", completion.Content);
        Assert.NotNull(completion.Usage);
        await AssertNoConnectionLeftOpenAsync();
    }

    [Fact]
    public async Task A_byte_at_a_time_drip_still_works()
    {
        FakeReply reply = StreamedReply("drip drip");
        _gateway.Enqueue(new FakeReply(200, reply.ContentType, reply.BodyParts) { Fault = new FakeFault(FakeFaultKind.Drip) });
        ChatCompletion completion = await _client.StreamAsync(TestGateway.Ask("ignored")).ToCompletionAsync().WaitAsync(Deadline);
        Assert.Equal("You said: drip drip", completion.Content);
        Assert.Equal(1, _server.AcceptedConnections);
        await AssertNoConnectionLeftOpenAsync();
    }

    [Fact]
    public async Task Odd_chunk_boundaries_do_not_matter()
    {
        FakeReply reply = StreamedReply("odd chunks here");
        _gateway.Enqueue(new FakeReply(200, reply.ContentType, reply.BodyParts) { Fault = new FakeFault(FakeFaultKind.OddChunks, 7) });
        ChatCompletion completion = await _client.StreamAsync(TestGateway.Ask("ignored")).ToCompletionAsync().WaitAsync(Deadline);
        Assert.Equal("You said: odd chunks here", completion.Content);
        await AssertNoConnectionLeftOpenAsync();
    }

    [Fact]
    public async Task A_reset_mid_stream_is_a_lost_connection()
    {
        FakeReply reply = StreamedReply("reset me");
        _gateway.Enqueue(new FakeReply(200, reply.ContentType, reply.BodyParts) { Fault = new FakeFault(FakeFaultKind.ResetAfterBodyBytes, reply.BodyLength / 2) });
        var error = await Assert.ThrowsAsync<GatewayStreamException>(() => _client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline));
        Assert.Equal(GatewayStreamFailure.ConnectionLost, error.Failure);
        await AssertNoConnectionLeftOpenAsync();
    }

    [Fact]
    public async Task A_stream_truncated_before_DONE_is_cut_off()
    {
        FakeReply reply = StreamedReply("truncate me please");
        // End the body cleanly after the first three events: no finish reason, no [DONE].
        int cut = reply.BodyParts[0].Length + reply.BodyParts[1].Length + reply.BodyParts[2].Length;
        _gateway.Enqueue(new FakeReply(200, reply.ContentType, reply.BodyParts) { Fault = new FakeFault(FakeFaultKind.TruncateAfterBodyBytes, cut) });
        var error = await Assert.ThrowsAsync<GatewayStreamException>(() => _client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline));
        Assert.Equal(GatewayStreamFailure.CutOff, error.Failure);
        await AssertNoConnectionLeftOpenAsync();
    }

    [Fact]
    public async Task A_stall_mid_stream_ends_at_the_idle_timeout()
    {
        _client.Dispose();
        _client = NewClient(TimeSpan.FromMilliseconds(300));
        FakeReply reply = StreamedReply("stall");
        _gateway.Enqueue(new FakeReply(200, reply.ContentType, reply.BodyParts) { Fault = new FakeFault(FakeFaultKind.StallAfterBodyBytes, reply.BodyLength / 2) });
        await Assert.ThrowsAsync<GatewayTimeoutException>(() => _client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline));
        await AssertNoConnectionLeftOpenAsync();
    }

    [Fact]
    public async Task A_reset_before_headers_is_retried_over_a_new_connection()
    {
        _gateway.Enqueue(new FakeReply(200, "application/json", []) { Fault = new FakeFault(FakeFaultKind.ResetBeforeHeaders) });
        ChatCompletion completion = await _client.CompleteAsync(TestGateway.Ask("again")).WaitAsync(Deadline);
        Assert.Equal("You said: again", completion.Content);
        Assert.Equal(2, _gateway.Requests.Count);
        await AssertNoConnectionLeftOpenAsync();
    }

    [Fact]
    public async Task A_reset_mid_body_of_a_plain_reply_is_a_connection_error_not_retried()
    {
        FakeReply full = FakeReply.Json(200, """{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"a long enough answer"},"finish_reason":"stop"}]}""");
        _gateway.Enqueue(new FakeReply(200, full.ContentType, full.BodyParts) { Fault = new FakeFault(FakeFaultKind.ResetAfterBodyBytes, 20) });
        await Assert.ThrowsAsync<GatewayConnectionException>(() => _client.CompleteAsync(TestGateway.Ask("x")).WaitAsync(Deadline));
        Assert.Single(_gateway.Requests);
        await AssertNoConnectionLeftOpenAsync();
    }

    [Fact]
    public async Task A_truncated_JSON_body_is_a_typed_error()
    {
        FakeReply full = FakeReply.Json(200, """{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"answer"},"finish_reason":"stop"}]}""");
        _gateway.Enqueue(new FakeReply(200, full.ContentType, full.BodyParts) { Fault = new FakeFault(FakeFaultKind.TruncateAfterBodyBytes, 30) });
        await Assert.ThrowsAnyAsync<GatewayException>(() => _client.CompleteAsync(TestGateway.Ask("x")).WaitAsync(Deadline));
        await AssertNoConnectionLeftOpenAsync();
    }

    [Fact]
    public async Task Many_calls_reuse_pooled_connections()
    {
        for (int i = 0; i < 20; i++)
            await _client.CompleteAsync(TestGateway.Ask("call " + i)).WaitAsync(Deadline);
        Assert.Equal(1, _server.AcceptedConnections);
        await AssertNoConnectionLeftOpenAsync();
    }
}
