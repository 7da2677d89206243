using System;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Chat;

/// <summary>Headers and, on request, the raw JSON of a reply: what a user needs for fields and ids this client does not model.</summary>
[Trait("Category", "Core")]
public class RawResponseAccessTests
{
    private const string Key = "sk-raw-access-key-1234567890";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private const string Body = """{"id":"c1","object":"chat.completion","created":1700000000,"model":"acme/m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"vendor_extra":{"cache_hit":true}}""";

    private static readonly string[] s_headers =
    [
        "X-Baseten-Request-Id: bt-123",
        "x-request-id: req-9",
        "Set-Cookie: a=1",
        "Set-Cookie: b=2",
        "X-Echo: Api-Key " + Key,
    ];

    private static GatewayClient Client(RawHttpServer server, bool keepRawJson = false) => new(new GatewayClientOptions
    {
        BaseUrl = server.BaseUrl,
        ApiKey = Key,
        DefaultModel = "acme/m",
        KeepRawJson = keepRawJson,
        Retry = new RetryPolicy { MaxRetries = 0 },
    });

    [Fact]
    public async Task A_reply_carries_its_headers_case_insensitive_joined_and_redacted()
    {
        await using RawHttpServer server = RawHttpServer.Start(x => x.RespondAsync("HTTP/1.1 200 OK", "application/json", Body, s_headers));
        using GatewayClient client = Client(server);
        ChatCompletion reply = await client.CompleteAsync(TestGateway.Ask("x")).WaitAsync(Deadline);
        Assert.Equal("bt-123", reply.ResponseHeaders["x-baseten-request-id"]);
        Assert.Equal("bt-123", reply.ResponseHeaders["X-BASETEN-REQUEST-ID"]);
        Assert.Equal("req-9", reply.RequestId);
        Assert.Equal("a=1, b=2", reply.ResponseHeaders["Set-Cookie"]);
        Assert.DoesNotContain(Key, reply.ResponseHeaders["X-Echo"]);
        Assert.Contains("[redacted]", reply.ResponseHeaders["X-Echo"]);
        Assert.True(reply.RawJson.IsEmpty, "raw JSON is kept only when asked");
    }

    [Fact]
    public async Task With_KeepRawJson_the_reply_keeps_its_body_as_received()
    {
        await using RawHttpServer server = RawHttpServer.Start(x => x.RespondAsync("HTTP/1.1 200 OK", "application/json", Body, s_headers));
        using GatewayClient client = Client(server, keepRawJson: true);
        ChatCompletion reply = await client.CompleteAsync(TestGateway.Ask("x")).WaitAsync(Deadline);
        Assert.Equal(Body, Encoding.UTF8.GetString(reply.RawJson.Span));
        using var json = System.Text.Json.JsonDocument.Parse(reply.RawJson);
        Assert.True(json.RootElement.GetProperty("vendor_extra").GetProperty("cache_hit").GetBoolean());
    }

    [Fact]
    public async Task A_stream_and_its_accumulated_reply_carry_the_headers()
    {
        const string events = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        await using RawHttpServer server = RawHttpServer.Start(x => x.RespondAsync("HTTP/1.1 200 OK", "text/event-stream", events, s_headers));
        using GatewayClient client = Client(server);
        ChatStream stream = client.StreamAsync(TestGateway.Ask("x"));
        Assert.Empty(stream.ResponseHeaders);
        ChatCompletion reply = await stream.ToCompletionAsync().WaitAsync(Deadline);
        Assert.Equal("hi", reply.Content);
        Assert.Equal("bt-123", stream.ResponseHeaders["X-Baseten-Request-Id"]);
        Assert.Equal("bt-123", reply.ResponseHeaders["X-Baseten-Request-Id"]);
        Assert.DoesNotContain(Key, reply.ResponseHeaders["X-Echo"]);
    }

    [Fact]
    public void A_reply_built_in_code_has_no_headers_and_no_raw_json()
    {
        var reply = new ChatCompletion();
        Assert.Empty(reply.ResponseHeaders);
        Assert.True(reply.RawJson.IsEmpty);
    }
}
