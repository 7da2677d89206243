using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>
/// vLLM's <c>stop_reason</c> beside <c>finish_reason</c> (Fixtures/vllm): the field added with the chunk table, read
/// on every path — the chunk readers and the template, the views, the accumulator and the non-streamed reply.
/// </summary>
[Trait("Category", "Core")]
public class StopReasonTests
{
    private static string FixturePath(string name) => Path.Combine(Fixtures.Directory, "vllm", name);

    [Theory]
    [InlineData("stop-token.sse", "128009", "The sky is blue because of Rayleigh scattering.")]
    [InlineData("stop-string.sse", "</answer>", "Answer: 42\n")]
    public async Task A_recorded_shape_stream_accumulates_its_stop_reason(string file, string stopReason, string content)
    {
        ChatCompletion reply = await ChatStream.FromEventStream(File.OpenRead(FixturePath(file))).ToCompletionAsync();
        Assert.Equal(content, reply.Content);
        Assert.Equal(ChatFinishReasons.Stop, reply.FinishReason);
        Assert.Equal(stopReason, reply.Choices[0].StopReason);
    }

    [Fact]
    public async Task Only_the_last_choice_chunk_carries_it_and_the_others_take_the_template()
    {
        var seen = new List<string?>();
        await foreach (ChatUpdate update in ChatStream.FromEventStream(File.OpenRead(FixturePath("stop-token.sse"))))
        {
            if (update.Choices.Count > 0)
                seen.Add(update.Choices[0].StopReason);
        }
        Assert.Equal(11, seen.Count);
        Assert.All(seen.GetRange(0, 10), Assert.Null);
        Assert.Equal("128009", seen[^1]);

        var reader = new ChatChunkReader();
        var data = new ChunkData();
        foreach (string line in File.ReadAllLines(FixturePath("stop-token.sse")))
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal))
                reader.Read(Encoding.UTF8.GetBytes(line[6..]), data);
        }
        Assert.True(reader.TemplateReuses >= 8, $"{reader.TemplateReuses} template reuses");
        Assert.Equal(0, reader.FullReads);
    }

    [Theory]
    [InlineData("128009", "128009")]
    [InlineData("-1", "-1")]
    [InlineData("1.5e3", "1.5e3")]
    [InlineData("\"</s>\"", "</s>")]
    [InlineData("\"\\u003c/s\\u003e\"", "</s>")]
    [InlineData("null", null)]
    [InlineData("true", null)]
    [InlineData("{\"x\":1}", null)]
    [InlineData("[1]", null)]
    public void Every_reader_takes_a_stop_reason_the_same_way(string json, string? expected)
    {
        byte[] payload = Encoding.UTF8.GetBytes("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\",\"stop_reason\":" + json + "}]}");
        string full = ChunkReading.ReadInFull(payload);
        var fast = new ChatChunkReader();
        var data = new ChunkData();
        Assert.Equal(full, ChunkReading.Read(fast, data, payload));
        Assert.Equal(expected, new ChatUpdate(data).Choices[0].StopReason);
    }

    [Theory]
    [InlineData("128009", "128009")]
    [InlineData("\"</answer>\"", "</answer>")]
    [InlineData("null", null)]
    [InlineData("false", null)]
    public void A_non_streamed_reply_reads_it_as_the_stream_does(string json, string? expected)
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"id\":\"c\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\",\"stop_reason\":" + json + "}]}");
        ChatCompletion reply = ChatCompletionReader.Read(body, null);
        Assert.Equal(expected, reply.Choices[0].StopReason);
    }

    [Fact]
    public async Task A_snapshot_keeps_it()
    {
        ChatUpdate kept = default;
        await foreach (ChatUpdate update in ChatStream.FromEventStream(File.OpenRead(FixturePath("stop-string.sse"))))
        {
            if (update.Choices.Count > 0 && update.Choices[0].StopReason is not null)
                kept = update.ToSnapshot();
        }
        Assert.Equal("</answer>", kept.Choices[0].StopReason);
        Assert.Equal("</answer>", Encoding.UTF8.GetString(kept.Choices[0].StopReasonUtf8));
    }
}
