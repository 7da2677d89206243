using System;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Reliability;

/// <summary>Inputs built to exhaust the client: each ends in a typed error, promptly, within a memory bound.</summary>
public class HostileInputTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Folds the stream on a thread of its own, synchronously (the input never waits), so the thread's
    /// allocation counter sees this run alone and not the tests running beside it.
    /// </summary>
    private static Task<(Exception? Error, long Allocated)> AccumulateAsync(GeneratedStream input, int maxEventBytes = SseReader.DefaultMaxEventBytes) =>
        Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Exception? error = null;
            try
            {
                Task<ChatCompletion> run = ChatStream.FromEventStream(input, maxEventBytes).ToCompletionAsync();
                Assert.True(run.IsCompleted, "the run waited, so its allocations were not all counted on this thread");
                run.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                error = ex;
            }
            return (error, GC.GetAllocatedBytesForCurrentThread() - before);
        }).WaitAsync(Deadline);

    [Fact]
    public async Task An_endless_line_stops_at_the_event_limit()
    {
        var input = new GeneratedStream("data: "u8.ToArray(), "x"u8.ToArray(), 1L << 40, []);
        (Exception? error, long allocated) = await AccumulateAsync(input, maxEventBytes: 1 << 20);
        var stream = Assert.IsType<GatewayStreamException>(error);
        Assert.Equal(GatewayStreamFailure.Malformed, stream.Failure);
        Assert.True(input.BytesRead < 4 << 20, $"read {input.BytesRead} bytes before giving up");
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes");
    }

    /// <summary>
    /// The over-long line arrives in the same read as a good event before it, so the stream finds it while
    /// reading ahead from what it already holds (no network wait), a path of its own: the error must be as typed.
    /// </summary>
    [Fact]
    public async Task An_over_long_line_read_together_with_a_good_event_is_a_typed_error()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n" +
            "data: " + new string('x', 3000));
        var updates = 0;
        Exception? error = null;
        try
        {
            await foreach (ChatUpdate update in ChatStream.FromEventStream(new System.IO.MemoryStream(bytes), maxEventBytes: 1024))
                updates++;
        }
        catch (Exception ex)
        {
            error = ex;
        }
        Assert.Equal(1, updates);
        Assert.Equal(GatewayStreamFailure.Malformed, Assert.IsType<GatewayStreamException>(error).Failure);
    }

    [Fact]
    public async Task A_huge_single_JSON_value_in_one_event_stops_at_the_default_limit()
    {
        var input = new GeneratedStream("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\""u8.ToArray(), "abcdefgh"u8.ToArray(), 4L << 20, "\"}}]}\n\n"u8.ToArray());
        (Exception? error, long allocated) = await AccumulateAsync(input);
        Assert.Equal(GatewayStreamFailure.Malformed, Assert.IsType<GatewayStreamException>(error).Failure);
        Assert.True(allocated < 128L << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task Millions_of_empty_data_events_fail_at_the_first_one()
    {
        var input = new GeneratedStream([], "data:\n\n"u8.ToArray(), 5_000_000, []);
        (Exception? error, _) = await AccumulateAsync(input);
        Assert.Equal(GatewayStreamFailure.Malformed, Assert.IsType<GatewayStreamException>(error).Failure);
        Assert.True(input.BytesRead < 1 << 20);
    }

    [Fact]
    public async Task Millions_of_blank_lines_and_comments_end_as_cut_off_in_bounded_memory()
    {
        var input = new GeneratedStream([], "\n: ping\n"u8.ToArray(), 3_000_000, []);
        (Exception? error, long allocated) = await AccumulateAsync(input);
        Assert.Equal(GatewayStreamFailure.CutOff, Assert.IsType<GatewayStreamException>(error).Failure);
        Assert.Equal(input.Length, input.BytesRead);
        Assert.True(allocated < 8 << 20, $"allocated {allocated} bytes for {input.Length} bytes of blank lines");
    }

    [Fact]
    public async Task Deeply_nested_JSON_in_a_chunk_is_malformed_not_a_stack_overflow()
    {
        string nested = new string('[', 100_000) + new string(']', 100_000);
        var input = new GeneratedStream(Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"x\":" + nested + "}}]}\n\n"), [], 0, []);
        (Exception? error, _) = await AccumulateAsync(input);
        Assert.Equal(GatewayStreamFailure.Malformed, Assert.IsType<GatewayStreamException>(error).Failure);
    }

    [Fact]
    public async Task Deeply_nested_JSON_in_a_plain_reply_is_a_protocol_error()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Json(200, "{\"id\":" + new string('[', 50_000) + new string(']', 50_000) + "}"));
        await Assert.ThrowsAsync<GatewayProtocolException>(() => test.Client.CompleteAsync(TestGateway.Ask("x")));
    }

    [Fact]
    public void Deeply_nested_JSON_for_a_generated_type_is_a_JsonException()
    {
        string json = "{\"Label\":\"r\",\"Children\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => GatewayJson.Deserialize<Generator.TreeNode>(json));
    }
}
