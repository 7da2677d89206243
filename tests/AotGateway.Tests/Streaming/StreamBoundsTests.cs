using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>
/// Over loopback sockets: idle means no byte arrived (keep-alives and dripped bytes are activity); a stream that
/// delivered a whole reply but never says [DONE] keeps it; what one stream and one accumulator may hold is
/// bounded, and past a bound the outcome is a typed <see cref="GatewayStreamFailure.LimitExceeded"/>.
/// </summary>
[Trait("Category", "Core")]
public sealed class StreamBoundsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private const string Head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";

    private static string Chunk(string content, string? finish = null) =>
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":"
        + (finish is null ? "null" : "\"" + finish + "\"") + "}]}\n\n";

    private const string UsageChunk = "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n";

    private static GatewayClient Client(RawHttpServer server, TimeSpan idle, Action<GatewayClientOptions>? configure = null)
    {
        var options = new GatewayClientOptions
        {
            BaseUrl = server.BaseUrl,
            ApiKey = "k",
            DefaultModel = "acme/model",
            StreamIdleTimeout = idle,
            Retry = RetryPolicy.None,
        };
        configure?.Invoke(options);
        return new GatewayClient(options);
    }

    [Fact]
    public async Task Keep_alive_comments_through_a_long_think_are_not_idleness()
    {
        // Seven and a half seconds of thinking behind keep-alives every 250 ms, with a four-second idle limit: the
        // think outlasts the limit almost twice, and only a 4 s gap between keep-alives fails it (a 2 s limit failed
        // once in CI while NativeAOT publishes held both cores and the server's own delays ran late).
        await using RawHttpServer server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head);
            for (int i = 0; i < 30; i++)
            {
                await x.WriteAsync(": keep-alive\n\n");
                await Task.Delay(250, x.Stopping);
            }
            await x.WriteAsync(Chunk("thought long", "stop") + "data: [DONE]\n\n");
        });
        using GatewayClient client = Client(server, TimeSpan.FromSeconds(4));
        ChatCompletion reply = await client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline);
        Assert.Equal("thought long", reply.Content);
    }

    [Fact]
    public async Task An_event_dripped_a_byte_at_a_time_is_activity()
    {
        string text = Chunk("dripped", "stop") + "data: [DONE]\n\n";
        await using RawHttpServer server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head);
            // ~4.5 s for the whole event, one byte per 40 ms, against a two-second idle limit.
            foreach (char c in text)
            {
                await x.WriteAsync(c.ToString());
                await Task.Delay(40, x.Stopping);
            }
        });
        using GatewayClient client = Client(server, TimeSpan.FromSeconds(2));
        ChatCompletion reply = await client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline);
        Assert.Equal("dripped", reply.Content);
    }

    [Fact]
    public async Task A_stream_that_sends_nothing_times_out_with_a_true_message()
    {
        await using RawHttpServer server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head + Chunk("first"));
            await Task.Delay(TimeSpan.FromSeconds(20), x.Stopping);
        });
        using GatewayClient client = Client(server, TimeSpan.FromMilliseconds(700));
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<GatewayTimeoutException>(() => client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline));
        Assert.Contains("sent nothing for 0.7 s", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_whole_reply_without_DONE_on_an_open_connection_is_kept(bool usageAsked)
    {
        await using RawHttpServer server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head + Chunk("all ") + Chunk("there", "stop") + (usageAsked ? UsageChunk : ""));
            await Task.Delay(TimeSpan.FromSeconds(20), x.Stopping); // never [DONE], never closes
        });
        using GatewayClient client = Client(server, TimeSpan.FromMilliseconds(700));
        ChatRequest request = TestGateway.Ask("x");
        request.IncludeUsage = usageAsked;
        ChatCompletion reply = await client.StreamAsync(request).ToCompletionAsync().WaitAsync(Deadline);
        Assert.Equal("all there", reply.Content);
        Assert.Equal("stop", reply.FinishReason);
        Assert.Equal(usageAsked ? 5 : null, reply.Usage?.TotalTokens);
    }

    [Fact]
    public async Task A_finished_reply_missing_the_usage_it_was_asked_for_is_kept_at_the_idle_limit_and_says_so()
    {
        await using RawHttpServer server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head + Chunk("no usage", "stop"));
            await Task.Delay(TimeSpan.FromSeconds(20), x.Stopping);
        });
        using GatewayClient client = Client(server, TimeSpan.FromMilliseconds(700));
        ChatStream stream = client.StreamAsync(TestGateway.Ask("x"));
        ChatCompletion reply = await stream.ToCompletionAsync().WaitAsync(Deadline);
        Assert.Equal("no usage", reply.Content);
        Assert.Null(reply.Usage);
        Assert.True(stream.UsageMissing);
    }

    [Fact]
    public async Task A_finished_reply_whose_usage_came_is_not_said_to_miss_it()
    {
        await using RawHttpServer server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head + Chunk("with usage", "stop") + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\n");
            await Task.Delay(TimeSpan.FromSeconds(20), x.Stopping);
        });
        using GatewayClient client = Client(server, TimeSpan.FromMilliseconds(700));
        ChatStream stream = client.StreamAsync(TestGateway.Ask("x"));
        ChatCompletion reply = await stream.ToCompletionAsync().WaitAsync(Deadline);
        Assert.Equal(3, reply.Usage!.TotalTokens);
        Assert.False(stream.UsageMissing);
    }

    [Fact]
    public async Task A_stream_carrying_more_than_MaxStreamedBytes_ends_typed_whether_or_not_it_is_accumulated()
    {
        string piece = new('x', 1000);
        await using RawHttpServer server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head);
            for (int i = 0; i < 10_000; i++) // 10 MB offered; the client stops after 64 KB
                await x.WriteAsync(Chunk(piece));
        });
        using GatewayClient client = Client(server, TimeSpan.FromSeconds(10), o => o.MaxStreamedBytes = 64 * 1024);

        var error = await Assert.ThrowsAsync<GatewayStreamException>(() => client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline));
        Assert.Equal(GatewayStreamFailure.LimitExceeded, error.Failure);
        Assert.Contains("MaxStreamedBytes", error.Message);

        int seen = 0;
        error = await Assert.ThrowsAsync<GatewayStreamException>(async () =>
        {
            await foreach (ChatUpdate update in client.StreamAsync(TestGateway.Ask("x")).WithCancellation(default))
                seen += update.ContentUtf8.Length;
        });
        Assert.Equal(GatewayStreamFailure.LimitExceeded, error.Failure);
        Assert.InRange(seen, 60 * 1024, 64 * 1024);
    }

    private static Stream Events(int count, Func<int, string> eventAt)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
            text.Append(eventAt(i));
        text.Append("data: [DONE]\n\n");
        return new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
    }

    [Fact]
    public async Task Distinct_choices_past_the_bound_end_the_stream_typed()
    {
        using Stream events = Events(1000, i => "data: {\"choices\":[{\"index\":" + i + ",\"delta\":{\"content\":\"a\"}}]}\n\n");
        var error = await Assert.ThrowsAsync<GatewayStreamException>(() => ChatStream.FromEventStream(events).ToCompletionAsync());
        Assert.Equal(GatewayStreamFailure.LimitExceeded, error.Failure);
        Assert.Contains("128 choices", error.Message);
    }

    [Fact]
    public void The_accumulator_bounds_bytes_choices_and_tool_calls_on_its_own()
    {
        static async Task<GatewayStreamException> Accumulate(ChatCompletionAccumulator accumulator, Stream events)
        {
            return await Assert.ThrowsAsync<GatewayStreamException>(async () =>
            {
                await foreach (ChatUpdate update in ChatStream.FromEventStream(events))
                    accumulator.Add(update);
            });
        }

        using (var calls = new ChatCompletionAccumulator { MaxToolCalls = 50 })
        {
            using Stream events = Events(1000, i =>
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + i + ",\"id\":\"t" + i + "\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}\n\n");
            GatewayStreamException error = Accumulate(calls, events).GetAwaiter().GetResult();
            Assert.Equal(GatewayStreamFailure.LimitExceeded, error.Failure);
            Assert.Contains("MaxToolCalls (50)", error.Message);
        }
        using (var bytes = new ChatCompletionAccumulator { MaxBytes = 10_000 })
        {
            using Stream events = Events(100, _ => Chunk(new string('y', 500)));
            GatewayStreamException error = Accumulate(bytes, events).GetAwaiter().GetResult();
            Assert.Contains("MaxBytes (10000 bytes)", error.Message);
        }
        using (var choices = new ChatCompletionAccumulator { MaxChoices = 3 })
        {
            using Stream events = Events(10, i => "data: {\"choices\":[{\"index\":" + i + ",\"delta\":{\"content\":\"a\"}}]}\n\n");
            GatewayStreamException error = Accumulate(choices, events).GetAwaiter().GetResult();
            Assert.Contains("MaxChoices (3)", error.Message);
        }
    }
}
