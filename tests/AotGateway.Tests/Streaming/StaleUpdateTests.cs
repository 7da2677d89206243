using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>
/// Updates are views of one reused buffer (so a stream allocates nothing per chunk). Keeping one past its chunk
/// is a mistake that must be loud, not a silent read of another chunk's text; ToSnapshot keeps one on purpose.
/// </summary>
[Trait("Category", "Core")]
public class StaleUpdateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Updates_kept_in_a_list_throw_when_read_after_the_stream_ended()
    {
        using var test = new TestGateway();
        var kept = new List<ChatUpdate>();
        await foreach (ChatUpdate update in test.Client.StreamAsync(TestGateway.Ask("keep these")).WithCancellation(default))
            kept.Add(update);
        Assert.True(kept.Count > 2);
        foreach (ChatUpdate update in kept)
        {
            var ex = Assert.Throws<InvalidOperationException>(() => update.Content);
            Assert.Contains("ToSnapshot", ex.Message);
            Assert.Throws<InvalidOperationException>(() => update.ContentUtf8.Length);
            Assert.Throws<InvalidOperationException>(() => update.Choices.Count);
        }
    }

    [Fact]
    public async Task The_previous_update_throws_once_the_stream_moved_on_while_the_current_one_reads()
    {
        using var test = new TestGateway();
        ChatUpdate? previous = null;
        int checkedPairs = 0;
        await foreach (ChatUpdate update in test.Client.StreamAsync(TestGateway.Ask("one two three")).WithCancellation(default))
        {
            _ = update.ContentUtf8.Length; // the current one reads
            if (previous is { } old)
            {
                Assert.Throws<InvalidOperationException>(() => old.IdUtf8.Length);
                checkedPairs++;
            }
            previous = update;
        }
        Assert.True(checkedPairs > 1);
    }

    [Fact]
    public async Task Choice_and_tool_call_views_kept_past_their_chunk_throw_too()
    {
        using var test = new TestGateway();
        var request = TestGateway.Ask("call a tool");
        request.Tools = [ChatTool.Function("lookup", "Looks up.", """{"type":"object","properties":{"q":{"type":"string"}},"required":["q"],"additionalProperties":false}"""u8.ToArray(), strict: true)];
        request.ToolChoice = ChatToolChoice.Required;
        var choices = new List<ChatChoiceUpdate>();
        var calls = new List<ToolCallUpdate>();
        await foreach (ChatUpdate update in test.Client.StreamAsync(request).WithCancellation(default))
        {
            foreach (ChatChoiceUpdate choice in update.Choices)
            {
                choices.Add(choice);
                foreach (ToolCallUpdate call in choice.ToolCalls)
                    calls.Add(call);
            }
        }
        Assert.NotEmpty(choices);
        Assert.NotEmpty(calls);
        Assert.All(choices, c => Assert.Throws<InvalidOperationException>(() => c.ContentUtf8.Length));
        Assert.All(calls, c => Assert.Throws<InvalidOperationException>(() => c.ArgumentsUtf8.Length));
    }

    [Fact]
    public async Task Snapshots_stay_readable_and_add_up_to_the_reply()
    {
        using var test = new TestGateway();
        var snapshots = new List<ChatUpdate>();
        await foreach (ChatUpdate update in test.Client.StreamAsync(TestGateway.Ask("snap this")).WithCancellation(default))
            snapshots.Add(update.ToSnapshot());
        Assert.Equal("You said: snap this", string.Concat(snapshots.Select(s => s.Content)));
        Assert.All(snapshots, s => Assert.False(s.IdUtf8.IsEmpty));
        Assert.Equal(snapshots[0].Id, snapshots[^1].Id);

        // A snapshot feeds an accumulator like a live update.
        using var accumulator = new ChatCompletionAccumulator();
        foreach (ChatUpdate snapshot in snapshots)
            accumulator.Add(snapshot);
        Assert.Equal("You said: snap this", accumulator.ToCompletion().Content);
    }

    [Fact]
    public void A_default_update_says_where_updates_come_from()
    {
        ChatUpdate update = default;
        var ex = Assert.Throws<InvalidOperationException>(() => update.Content);
        Assert.Contains("ChatStream", ex.Message);
        using var accumulator = new ChatCompletionAccumulator();
        Assert.Throws<InvalidOperationException>(() => accumulator.Add(update));
    }

    [Fact]
    public async Task A_snapshot_copies_every_field_of_the_chunk()
    {
        byte[] events = Encoding.UTF8.GetBytes(
            "data: {\"id\":\"c1\",\"created\":1700000000,\"model\":\"acme/m\",\"system_fingerprint\":\"fp\",\"service_tier\":\"default\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"a\",\"reasoning_content\":\"r\",\"refusal\":\"no\",\"tool_calls\":[{\"index\":2,\"id\":\"call_1\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"logprobs\":{\"content\":[]},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\n" +
            "data: [DONE]\n\n");
        ChatUpdate? snapshot = null;
        await foreach (ChatUpdate update in ChatStream.FromEventStream(new System.IO.MemoryStream(events)).WithCancellation(default))
            snapshot ??= update.ToSnapshot();
        ChatUpdate s = snapshot!.Value;
        Assert.Equal("c1", s.Id);
        Assert.Equal("acme/m", s.Model);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), s.Created);
        Assert.Equal("fp", Encoding.UTF8.GetString(s.SystemFingerprintUtf8));
        Assert.Equal("default", Encoding.UTF8.GetString(s.ServiceTierUtf8));
        Assert.Equal(3, s.Usage!.TotalTokens);
        ChatChoiceUpdate choice = s.Choices[0];
        Assert.Equal(ChatRole.Assistant, choice.Role);
        Assert.Equal("a", choice.Content);
        Assert.Equal("r", choice.Reasoning);
        Assert.Equal("no", choice.Refusal);
        Assert.Equal("stop", choice.FinishReason);
        Assert.Equal("""{"content":[]}""", Encoding.UTF8.GetString(choice.LogprobsJson));
        ToolCallUpdate call = choice.ToolCalls[0];
        Assert.Equal(2, call.Index);
        Assert.Equal("call_1", call.Id);
        Assert.Equal("f", call.Name);
        Assert.Equal("{}", call.Arguments);
    }
}
