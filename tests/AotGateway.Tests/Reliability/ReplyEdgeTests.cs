using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Reliability;

/// <summary>
/// Odd but legal-looking replies get the same verdict streamed and non-streamed: usage never costs the reply,
/// and text that is not UTF-8 is a malformed reply either way.
/// </summary>
public sealed class ReplyEdgeTests
{
    public static TheoryData<string, int?> OddCounts() => new()
    {
        { "1e20", int.MaxValue },
        { "1e999", int.MaxValue },
        { "-1e999", null },
        { "-3", null },
        { "12.7", 12 },
        { "\"12\"", null },
        { "{\"n\":1}", null },
        { "null", null },
    };

    [Theory]
    [MemberData(nameof(OddCounts))]
    public async Task A_usage_count_out_of_range_keeps_the_reply(string count, int? expected)
    {
        string usage = $"{{\"prompt_tokens\":{count},\"completion_tokens\":2,\"total_tokens\":{count},\"completion_tokens_details\":{{\"reasoning_tokens\":{count}}}}}";
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Json(200,
            "{\"id\":\"r\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"kept\"},\"finish_reason\":\"stop\"}],\"usage\":" + usage + "}"));
        ChatCompletion reply = await test.Client.CompleteAsync(TestGateway.Ask("x"));
        Assert.Equal("kept", reply.Content);
        Assert.Equal(expected ?? 0, reply.Usage!.PromptTokens);
        Assert.Equal(2, reply.Usage.CompletionTokens);
        Assert.Equal(expected, reply.Usage.ReasoningTokens);

        byte[] stream = Encoding.UTF8.GetBytes(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"kept\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: {\"choices\":[],\"usage\":" + usage + "}\n\ndata: [DONE]\n\n");
        ChatCompletion streamed = await ChatStream.FromEventStream(new MemoryStream(stream)).ToCompletionAsync();
        Assert.Equal("kept", streamed.Content);
        Assert.Equal(expected ?? 0, streamed.Usage!.PromptTokens);
    }

    [Fact]
    public async Task A_usage_that_is_not_an_object_is_dropped_not_fatal()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Json(200,
            "{\"id\":\"r\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"kept\"},\"finish_reason\":\"stop\"}],\"usage\":[1,2,3]}"));
        ChatCompletion reply = await test.Client.CompleteAsync(TestGateway.Ask("x"));
        Assert.Equal("kept", reply.Content);
        Assert.Null(reply.Usage);
    }

    public static TheoryData<string> InvalidUtf8() => new() { "C0AF", "FF", "EDA080", "F4908080", "E282" };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Text_that_is_not_UTF8_is_malformed_streamed_and_not(string hex)
    {
        byte[] bad = Convert.FromHexString(hex);
        static byte[] Concat(string before, byte[] middle, string after) =>
            [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];

        await using RawHttpServer server = RawHttpServer.Start(async x =>
        {
            bool stream = x.Body.Contains("\"stream\":true", StringComparison.Ordinal);
            byte[] body = stream
                ? Concat("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok ", bad, " bad\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
                : Concat("{\"id\":\"r\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok ", bad, " bad\"},\"finish_reason\":\"stop\"}]}");
            await x.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: {(stream ? "text/event-stream" : "application/json")}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await x.WriteAsync(body);
        });
        using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = server.BaseUrl, ApiKey = "k", DefaultModel = "acme/model" });

        await Assert.ThrowsAsync<GatewayProtocolException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        var streamed = await Assert.ThrowsAsync<GatewayStreamException>(async () =>
        {
            await foreach (ChatUpdate update in client.StreamAsync(TestGateway.Ask("x")))
                Assert.Fail("an update with invalid UTF-8 text reached the caller");
        });
        Assert.Equal(GatewayStreamFailure.Malformed, streamed.Failure);
        Assert.Contains("UTF-8", streamed.Message);
    }
}
