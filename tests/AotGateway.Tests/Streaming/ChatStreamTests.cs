using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Streaming;

[Trait("Category", "Core")]
public class ChatStreamTests
{
    private static ChatRequest WithTool(string text)
    {
        ChatRequest request = TestGateway.Ask(text);
        request.Tools = [ChatTool.Function("lookup", "Looks things up", """{"type":"object","properties":{"query":{"type":"string"},"limit":{"type":"integer"}},"required":["query","limit"],"additionalProperties":false}""")];
        return request;
    }

    [Fact]
    public async Task Text_arrives_in_pieces_and_accumulates_to_the_non_streamed_reply()
    {
        using var test = new TestGateway();
        var pieces = new List<string>();
        using var accumulator = new ChatCompletionAccumulator();
        await foreach (ChatUpdate update in test.Client.StreamAsync(TestGateway.Ask("stream this please")))
        {
            accumulator.Add(update);
            if (!update.ContentUtf8.IsEmpty)
                pieces.Add(Encoding.UTF8.GetString(update.ContentUtf8));
        }
        Assert.Equal(["You", " said:", " stream", " this", " please"], pieces);

        ChatCompletion streamed = accumulator.ToCompletion();
        ChatCompletion plain = await test.Client.CompleteAsync(TestGateway.Ask("stream this please"));
        Assert.Equal(plain.Content, streamed.Content);
        Assert.Equal(plain.FinishReason, streamed.FinishReason);
        Assert.Equal(plain.Usage!.TotalTokens, streamed.Usage!.TotalTokens);
        Assert.Equal(plain.Model, streamed.Model);
        Assert.Contains("\"stream\":true", test.Gateway.Requests[0].BodyText);
        Assert.Equal("text/event-stream", test.Gateway.Requests[0].Header("Accept"));
    }

    [Fact]
    public async Task Reasoning_and_tool_calls_in_fragments_accumulate_like_the_non_streamed_reply()
    {
        using var test = new TestGateway();
        ChatRequest request = WithTool("find it");
        request.Model = FakeGateway.ReasoningModel;
        int toolFragments = 0;
        using var accumulator = new ChatCompletionAccumulator();
        await foreach (ChatUpdate update in test.Client.StreamAsync(request))
        {
            accumulator.Add(update);
            foreach (ChatChoiceUpdate choice in update.Choices)
                toolFragments += choice.ToolCalls.Count;
        }
        ChatCompletion streamed = accumulator.ToCompletion();
        ChatCompletion plain = await test.Client.CompleteAsync(request);
        Assert.True(toolFragments > 3, $"{toolFragments} fragments");
        Assert.Equal(plain.Message!.Reasoning, streamed.Message!.Reasoning);
        Assert.Equal(plain.ToolCalls.Select(c => (c.Id, c.Name, c.Arguments)), streamed.ToolCalls.Select(c => (c.Id, c.Name, c.Arguments)));
        Assert.Equal("tool_calls", streamed.FinishReason);
        Assert.Null(streamed.Content);
    }

    /// <summary>Servers may interleave choices and tool calls in any order; the reply lists them by index.</summary>
    [Fact]
    public async Task Choices_and_tool_calls_arriving_out_of_order_accumulate_in_index_order()
    {
        var events = new StringBuilder();
        void Chunk(string choices) => events.Append("data: {\"choices\":[").Append(choices).Append("]}\n\n");
        Chunk("""{"index":1,"delta":{"content":"second"}}""");
        Chunk("""{"index":0,"delta":{"tool_calls":[{"index":2,"id":"c","function":{"name":"h","arguments":"{}"}},{"index":0,"id":"a","function":{"name":"f","arguments":"{\"x\""}}]}}""");
        Chunk("""{"index":0,"delta":{"tool_calls":[{"index":1,"id":"b","function":{"name":"g","arguments":"[]"}},{"index":0,"function":{"arguments":":1}"}}]},"finish_reason":"tool_calls"}""");
        // A hostile stream: a thousand calls (within the accumulator's bound), each new index lower than the last.
        for (int i = 1_000; i > 2; i--)
            Chunk("{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + i + ",\"id\":\"id" + i + "\",\"function\":{\"name\":\"n\",\"arguments\":\"\"}}]}}");
        events.Append("data: [DONE]\n\n");

        using var capture = new System.IO.MemoryStream(Encoding.UTF8.GetBytes(events.ToString()));
        ChatCompletion reply = await ChatStream.FromEventStream(capture).ToCompletionAsync();

        Assert.Equal([0, 1], reply.Choices.Select(c => c.Index));
        Assert.Equal("second", reply.Choices[1].Message!.Content);
        IReadOnlyList<ChatToolCall> calls = reply.Choices[0].Message!.ToolCalls!;
        Assert.Equal(1_001, calls.Count);
        Assert.Equal(("a", "f", "{\"x\":1}"), (calls[0].Id, calls[0].Name, calls[0].Arguments));
        Assert.Equal(("b", "c"), (calls[1].Id, calls[2].Id));
        for (int i = 3; i < calls.Count; i++)
            Assert.Equal("id" + i, calls[i].Id);
    }

    [Fact]
    public async Task ToCompletionAsync_and_StreamTextAsync_are_the_short_ways()
    {
        using var test = new TestGateway();
        ChatCompletion completion = await test.Client.StreamAsync(TestGateway.Ask("short way")).ToCompletionAsync();
        Assert.Equal("You said: short way", completion.Content);
        Assert.Equal("req_fake_1", completion.RequestId);

        var text = new StringBuilder();
        await foreach (string piece in test.Client.StreamTextAsync(TestGateway.Ask("text only")))
            text.Append(piece);
        Assert.Equal("You said: text only", text.ToString());
    }

    [Fact]
    public async Task Usage_can_be_turned_off()
    {
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("no usage");
        request.IncludeUsage = false;
        ChatCompletion completion = await test.Client.StreamAsync(request).ToCompletionAsync();
        Assert.Null(completion.Usage);
        Assert.DoesNotContain("stream_options", test.Gateway.Requests[0].BodyText);
    }

    [Fact]
    public async Task A_stream_can_be_enumerated_only_once()
    {
        using var test = new TestGateway();
        ChatStream stream = test.Client.StreamAsync(TestGateway.Ask("once"));
        await stream.ToCompletionAsync();
        Assert.Throws<InvalidOperationException>(() => stream.GetAsyncEnumerator());
    }

    [Fact]
    public async Task A_stream_cut_before_DONE_or_a_finish_reason_is_reported_as_cut_off()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.EventStream("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"));
        var received = new StringBuilder();
        var error = await Assert.ThrowsAsync<GatewayStreamException>(async () =>
        {
            await foreach (ChatUpdate update in test.Client.StreamAsync(TestGateway.Ask("x")))
                received.Append(update.Content);
        });
        Assert.Equal(GatewayStreamFailure.CutOff, error.Failure);
        Assert.Equal("Hel", received.ToString());
        Assert.Contains("incomplete", error.Message);
    }

    [Fact]
    public async Task A_stream_with_a_finish_reason_but_no_DONE_is_complete()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.EventStream("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n"));
        ChatCompletion completion = await test.Client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync();
        Assert.Equal("ok", completion.Content);
    }

    [Theory]
    [InlineData("data: {\"error\":{\"message\":\"GPU fell over\",\"type\":\"server_error\",\"code\":\"internal\"}}\n\n")]
    [InlineData("event: error\ndata: {\"message\":\"GPU fell over\",\"type\":\"server_error\",\"code\":\"internal\"}\n\n")]
    public async Task An_error_event_mid_stream_is_a_typed_error_with_the_server_message(string errorEvent)
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.EventStream("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n", errorEvent, "data: [DONE]\n\n"));
        var error = await Assert.ThrowsAsync<GatewayStreamException>(() => test.Client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync());
        Assert.Equal(GatewayStreamFailure.ErrorEvent, error.Failure);
        Assert.Equal("GPU fell over", error.GatewayMessage);
        Assert.Equal("server_error", error.ErrorType);
        Assert.Contains("GPU fell over", error.Message);
    }

    [Fact]
    public async Task A_malformed_chunk_is_a_typed_error()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.EventStream("data: {\"choices\":[{\"delta\":{\"content\":\n\n"));
        var error = await Assert.ThrowsAsync<GatewayStreamException>(() => test.Client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync());
        Assert.Equal(GatewayStreamFailure.Malformed, error.Failure);
    }

    [Fact]
    public async Task Named_events_other_than_message_are_not_chunks()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.EventStream("event: ping\ndata: {}\n\n", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\n\n", "data: [DONE]\n\n"));
        ChatCompletion completion = await test.Client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync();
        Assert.Equal("x", completion.Content);
    }

    [Fact]
    public async Task An_answer_that_is_not_an_event_stream_is_a_protocol_error()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Json(200, "{\"choices\":[]}"));
        await Assert.ThrowsAsync<GatewayProtocolException>(() => test.Client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync());
    }

    [Fact]
    public async Task Errors_before_the_stream_starts_are_the_same_typed_errors()
    {
        using var test = new TestGateway();
        await Assert.ThrowsAsync<GatewayModelNotFoundException>(() => test.Client.StreamAsync(TestGateway.Ask("x", "acme/none")).ToCompletionAsync());
    }

    [Fact]
    public async Task A_stall_mid_stream_ends_with_the_idle_timeout()
    {
        using var test = new TestGateway(o =>
        {
            o.StreamIdleTimeout = TimeSpan.FromMilliseconds(300);
            o.TimeProvider = TimeProvider.System;
        });
        FakeReply full = FakeGateway.CreateDefault().Handle(new FakeHttpRequest("POST", "/v1/chat/completions",
            new Dictionary<string, string> { ["Authorization"] = "Api-Key " + FakeGateway.DefaultKey },
            Encoding.UTF8.GetBytes("""{"model":"fake/echo-1","messages":[{"role":"user","content":"stall here"}],"stream":true}""")));
        test.Gateway.Enqueue(new FakeReply(200, "text/event-stream", full.BodyParts) { Fault = new FakeFault(FakeFaultKind.StallAfterBodyBytes, 200) });
        var error = await Assert.ThrowsAsync<GatewayTimeoutException>(() => test.Client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync()).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromMilliseconds(300), error.Timeout);
        Assert.Contains("StreamIdleTimeout", error.Message);
    }

    [Fact]
    public async Task A_slow_consumer_is_not_mistaken_for_a_stalled_server()
    {
        using var test = new TestGateway(o => o.StreamIdleTimeout = TimeSpan.FromMilliseconds(100));
        var text = new StringBuilder();
        await foreach (ChatUpdate update in test.Client.StreamAsync(TestGateway.Ask("take your time")))
        {
            text.Append(update.Content);
            await Task.Delay(150);
        }
        Assert.Equal("You said: take your time", text.ToString());
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_promptly()
    {
        using var test = new TestGateway();
        FakeReply full = FakeGateway.CreateDefault().Handle(new FakeHttpRequest("POST", "/v1/chat/completions",
            new Dictionary<string, string> { ["Authorization"] = "Api-Key " + FakeGateway.DefaultKey },
            Encoding.UTF8.GetBytes("""{"model":"fake/echo-1","messages":[{"role":"user","content":"a b c"}],"stream":true}""")));
        // Deliver the keep-alive, the role chunk and the first word, then go silent.
        int firstUpdates = full.BodyParts[0].Length + full.BodyParts[1].Length + full.BodyParts[2].Length;
        test.Gateway.Enqueue(new FakeReply(200, "text/event-stream", full.BodyParts) { Fault = new FakeFault(FakeFaultKind.StallAfterBodyBytes, firstUpdates) });
        using var cancel = new CancellationTokenSource();
        int updates = 0;
        Task reading = Task.Run(async () =>
        {
            await foreach (ChatUpdate update in test.Client.StreamAsync(TestGateway.Ask("x"), cancel.Token))
            {
                updates++;
                cancel.CancelAfter(50);
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(2, updates);
    }
}
