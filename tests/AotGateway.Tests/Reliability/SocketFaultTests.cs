using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Reliability;

/// <summary>More faults over real sockets on 127.0.0.1: refused connections, compressed bodies, a stream answered as JSON.</summary>
public sealed class SocketFaultTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private const string Completion = """{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"squeezed"},"finish_reason":"stop"}]}""";
    private readonly FakeGateway _gateway = FakeGateway.CreateDefault();
    private LoopbackGatewayServer _server = null!;
    private GatewayClient _client = null!;

    public Task InitializeAsync()
    {
        _server = LoopbackGatewayServer.Start(_gateway);
        _client = NewClient(_server.BaseUrl);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static GatewayClient NewClient(Uri baseUrl) => new(new GatewayClientOptions
    {
        BaseUrl = baseUrl,
        ApiKey = FakeGateway.DefaultKey,
        DefaultModel = FakeGateway.DefaultModel,
        Retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(40) },
    });

    private static byte[] Compress(string text, string encoding)
    {
        var buffer = new MemoryStream();
        using (Stream compressor = encoding == "gzip" ? new GZipStream(buffer, CompressionLevel.Fastest) : new BrotliStream(buffer, CompressionLevel.Fastest))
            compressor.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }

    [Fact]
    public async Task A_refused_connection_is_a_connection_error_after_the_retries()
    {
        // A port that was just free: nothing listens there now.
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        using GatewayClient client = NewClient(new Uri($"http://127.0.0.1:{port}/v1"));
        var ex = await Assert.ThrowsAsync<GatewayConnectionException>(() => client.CompleteAsync(TestGateway.Ask("x")).WaitAsync(Deadline));
        Assert.Contains("127.0.0.1", ex.Message);
        Assert.DoesNotContain(FakeGateway.DefaultKey, ex.ToString());
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Compressed_replies_are_read(string encoding)
    {
        _gateway.Enqueue(new FakeReply(200, "application/json", [Compress(Completion, encoding)], [new KeyValuePair<string, string>("Content-Encoding", encoding)]));
        ChatCompletion reply = await _client.CompleteAsync(TestGateway.Ask("x")).WaitAsync(Deadline);
        Assert.Equal("squeezed", reply.Content);
    }

    [Fact]
    public async Task A_compressed_event_stream_is_read()
    {
        string events = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"zip\"}}]}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ped\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        _gateway.Enqueue(new FakeReply(200, "text/event-stream", [Compress(events, "gzip")], [new KeyValuePair<string, string>("Content-Encoding", "gzip")]) { Fault = new FakeFault(FakeFaultKind.OddChunks, 7) });
        ChatCompletion reply = await _client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline);
        Assert.Equal("zipped", reply.Content);
    }

    [Fact]
    public async Task A_stream_answered_with_JSON_is_a_protocol_error()
    {
        _gateway.Enqueue(FakeReply.Json(200, Completion));
        var ex = await Assert.ThrowsAsync<GatewayProtocolException>(() => _client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline));
        Assert.Contains("application/json", ex.Message);
    }

    [Fact]
    public async Task A_reply_with_a_corrupt_gzip_body_is_a_typed_error()
    {
        byte[] body = Compress(Completion, "gzip");
        body[body.Length / 2] ^= 0xFF;
        body[body.Length / 2 + 1] ^= 0xFF;
        _gateway.Enqueue(new FakeReply(200, "application/json", [body], [new KeyValuePair<string, string>("Content-Encoding", "gzip")]));
        var ex = await Assert.ThrowsAsync<GatewayProtocolException>(() => _client.CompleteAsync(TestGateway.Ask("x")).WaitAsync(Deadline));
        Assert.Contains("does not decompress", ex.Message);
    }

    [Fact]
    public async Task A_stream_with_a_corrupt_gzip_body_is_a_malformed_stream()
    {
        var events = new StringBuilder();
        for (int i = 0; i < 200; i++)
            events.Append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").Append(i).Append("\"}}]}\n\n");
        byte[] body = Compress(events.ToString(), "gzip");
        for (int i = body.Length / 2; i < body.Length / 2 + 16; i++)
            body[i] ^= 0x5A;
        _gateway.Enqueue(new FakeReply(200, "text/event-stream", [body], [new KeyValuePair<string, string>("Content-Encoding", "gzip")]));
        var ex = await Assert.ThrowsAsync<GatewayStreamException>(() => _client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline));
        Assert.Equal(GatewayStreamFailure.Malformed, ex.Failure);
    }
}
