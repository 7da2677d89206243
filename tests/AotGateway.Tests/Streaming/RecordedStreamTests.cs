using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>Every recorded event stream decodes and accumulates to what a plain, independent reading of it says.</summary>
[Trait("Category", "Core")]
public class RecordedStreamTests
{
    public static TheoryData<string> Streams => Fixtures.EventStreams();

    /// <summary>The oracle: split on blank lines, parse each data payload with JsonDocument, concatenate by hand.</summary>
    private sealed record Expected(string? Content, string? Refusal, string? FinishReason, int? TotalTokens, int Chunks, List<(string Id, string Name, string Arguments)> Calls, int LogprobTokens);

    private static Expected Oracle(byte[] bytes)
    {
        string text = Encoding.UTF8.GetString(bytes).Replace("\r\n", "\n");
        var content = new StringBuilder();
        var refusal = new StringBuilder();
        bool anyContent = false, anyRefusal = false;
        string? finish = null;
        int? total = null;
        int chunks = 0, logprobTokens = 0;
        var calls = new SortedDictionary<int, (string Id, string Name, StringBuilder Args)>();
        foreach (string block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string data = string.Join("\n", block.Split('\n').Where(l => l.StartsWith("data:")).Select(l => l[5..].TrimStart(' ')));
            if (data.Length == 0 || data == "[DONE]")
                continue;
            chunks++;
            using JsonDocument doc = JsonDocument.Parse(data);
            JsonElement root = doc.RootElement;
            if (root.TryGetProperty("usage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object)
                total = usage.GetProperty("total_tokens").GetInt32();
            if (!root.TryGetProperty("choices", out JsonElement choices))
                continue;
            foreach (JsonElement choice in choices.EnumerateArray())
            {
                bool hasDelta = choice.TryGetProperty("delta", out JsonElement delta) && delta.ValueKind == JsonValueKind.Object;
                if (hasDelta && delta.TryGetProperty("content", out JsonElement c) && c.ValueKind == JsonValueKind.String)
                {
                    content.Append(c.GetString());
                    anyContent |= c.GetString()!.Length > 0;
                }
                if (hasDelta && delta.TryGetProperty("refusal", out JsonElement r) && r.ValueKind == JsonValueKind.String)
                {
                    refusal.Append(r.GetString());
                    anyRefusal = true;
                }
                if (hasDelta && delta.TryGetProperty("tool_calls", out JsonElement tc))
                {
                    foreach (JsonElement call in tc.EnumerateArray())
                    {
                        int index = call.GetProperty("index").GetInt32();
                        if (!calls.TryGetValue(index, out var entry))
                            calls[index] = entry = ("", "", new StringBuilder());
                        if (call.TryGetProperty("id", out JsonElement id))
                            entry.Id = id.GetString()!;
                        if (call.GetProperty("function").TryGetProperty("name", out JsonElement name))
                            entry.Name += name.GetString();
                        if (call.GetProperty("function").TryGetProperty("arguments", out JsonElement args))
                            entry.Args.Append(args.GetString());
                        calls[index] = entry;
                    }
                }
                if (choice.TryGetProperty("logprobs", out JsonElement lp) && lp.ValueKind == JsonValueKind.Object
                    && lp.TryGetProperty("content", out JsonElement lpc) && lpc.ValueKind == JsonValueKind.Array)
                    logprobTokens += lpc.GetArrayLength();
                if (choice.TryGetProperty("finish_reason", out JsonElement f) && f.ValueKind == JsonValueKind.String)
                    finish = f.GetString();
            }
        }
        return new Expected(anyContent ? content.ToString() : null, anyRefusal ? refusal.ToString() : null, finish, total, chunks,
            calls.Values.Select(v => (v.Id, v.Name, v.Args.ToString())).ToList(), logprobTokens);
    }

    private static async Task<(ChatCompletion Completion, int Updates)> AccumulateAsync(Stream stream)
    {
        using var accumulator = new ChatCompletionAccumulator();
        int updates = 0;
        await foreach (ChatUpdate update in ChatStream.FromEventStream(stream))
        {
            accumulator.Add(update);
            updates++;
        }
        return (accumulator.ToCompletion(), updates);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Each_recorded_stream_accumulates_to_the_expected_message(string name)
    {
        byte[] bytes = Fixtures.Response(name);
        Expected expected = Oracle(bytes);
        (ChatCompletion completion, int updates) = await AccumulateAsync(new MemoryStream(bytes));

        Assert.Equal(expected.Chunks, updates);
        Assert.Equal(expected.Content, completion.Content);
        Assert.Equal(expected.Refusal, completion.Message!.Refusal);
        Assert.Equal(expected.FinishReason, completion.FinishReason);
        Assert.Equal(expected.TotalTokens, completion.Usage?.TotalTokens);
        Assert.Equal(expected.Calls, completion.ToolCalls.Select(c => (c.Id, c.Name, c.Arguments)).ToList());
        Assert.Equal(expected.LogprobTokens, completion.Choices[0].Logprobs?.Content?.Count ?? 0);
        Assert.NotNull(completion.Id);
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task How_the_bytes_arrive_does_not_change_the_result(string name)
    {
        byte[] bytes = Fixtures.Response(name);
        (ChatCompletion whole, _) = await AccumulateAsync(new MemoryStream(bytes));
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        for (int round = 0; round < 20; round++)
        {
            List<byte[]> chunks = SseTestStreams.Split(bytes, random, maxChunk: round < 10 ? 64 : 4096);
            (ChatCompletion split, _) = await AccumulateAsync(SseTestStreams.ChunkedStream(chunks));
            Assert.Equal(whole.Content, split.Content);
            Assert.Equal(whole.Message!.Refusal, split.Message!.Refusal);
            Assert.Equal(whole.FinishReason, split.FinishReason);
            Assert.Equal(whole.Usage?.TotalTokens, split.Usage?.TotalTokens);
            Assert.Equal(whole.Choices[0].Logprobs?.Content?.Count, split.Choices[0].Logprobs?.Content?.Count);
            Assert.Equal(whole.ToolCalls.Select(c => c.Arguments), split.ToolCalls.Select(c => c.Arguments));
        }
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task The_SSE_events_are_the_same_however_the_bytes_are_split(string name)
    {
        byte[] bytes = Fixtures.Response(name);
        List<SseTestStreams.Event> whole = await SseTestStreams.ReadByReadsAsync([bytes]);
        var random = new Random(name.Length);
        for (int round = 0; round < 10; round++)
        {
            List<byte[]> chunks = SseTestStreams.Split(bytes, random, maxChunk: 97);
            Assert.Equal(whole, await SseTestStreams.ReadByReadsAsync(chunks));
            Assert.Equal(whole, await SseTestStreams.ReadBySegmentsAsync(chunks));
        }
    }
}
