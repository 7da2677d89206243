using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Tools;

/// <summary>The tool loop against the fake gateway: rounds, parallel calls, errors the model is told about, hooks, cancellation.</summary>
[Trait("Category", "Core")]
public class ToolLoopTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>A reply asking for these calls, as the gateway would send it.</summary>
    internal static FakeReply ToolCallReply(params (string Name, string Arguments)[] calls)
    {
        var json = new StringBuilder("{\"id\":\"chatcmpl-t\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake/echo-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[");
        for (int i = 0; i < calls.Length; i++)
        {
            if (i > 0)
                json.Append(',');
            json.Append("{\"id\":\"call_").Append(i).Append("\",\"type\":\"function\",\"function\":{\"name\":")
                .Append(JsonSerializer.Serialize(calls[i].Name, TestJson.Default.String)).Append(",\"arguments\":")
                .Append(JsonSerializer.Serialize(calls[i].Arguments, TestJson.Default.String)).Append("}}");
        }
        json.Append("]},\"finish_reason\":\"tool_calls\"}]}");
        return FakeReply.Json(200, json.ToString());
    }

    private static List<ChatMessage> ToolMessages(ToolLoopResult result)
    {
        var tools = new List<ChatMessage>();
        foreach (ChatMessage m in result.Messages)
        {
            if (m.Role == ChatRole.Tool)
                tools.Add(m);
        }
        return tools;
    }

    [Fact]
    public async Task One_call_then_the_final_answer()
    {
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("What is the weather in Oslo?");
        ToolLoopResult result = await test.Client.RunToolsAsync(request, SampleTools.ToolSet).WaitAsync(Deadline);

        Assert.Equal(2, result.Rounds);
        Assert.Equal(1, result.ToolCalls);
        Assert.Equal(ChatFinishReasons.Stop, result.Completion.FinishReason);
        // user, assistant asking for the tool, the tool's answer
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool], [.. Roles(result.Messages)]);
        ChatMessage tool = result.Messages[2];
        Assert.Equal(result.Messages[1].ToolCalls![0].Id, tool.ToolCallId);
        Assert.StartsWith("{\"City\":", tool.Content);
        Assert.Contains(tool.Content!, result.Completion.Content);
        Assert.Same(request.Messages, result.Messages);
        // The definitions went out on every request, and the second request carried the tool message.
        string second = test.Gateway.Requests[1].BodyText;
        Assert.Contains("\"tools\":[", second);
        Assert.Contains("\"role\":\"tool\"", second);
        Assert.Contains("\"tool_call_id\":\"" + tool.ToolCallId + "\"", second);
    }

    private static List<ChatRole> Roles(IEnumerable<ChatMessage> messages)
    {
        var roles = new List<ChatRole>();
        foreach (ChatMessage m in messages)
            roles.Add(m.Role);
        return roles;
    }

    [Fact]
    public async Task Parallel_calls_all_run_and_are_answered_in_the_order_asked()
    {
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("Do everything.");
        request.ParallelToolCalls = true;
        var outcomes = new ConcurrentBag<ToolCallOutcome>();
        ToolLoopResult result = await test.Client.RunToolsAsync(request, MoreTools.ToolSet, new ToolLoopOptions { CallCompleted = outcomes.Add }).WaitAsync(Deadline);
        Assert.Single(outcomes);

        using var busy = new TestGateway();
        request = TestGateway.Ask("Do everything.");
        request.ParallelToolCalls = true;
        result = await busy.Client.RunToolsAsync(request, GatewayToolSet.Combine(SampleTools.ToolSet, MoreTools.ToolSet), new ToolLoopOptions { MaxConcurrentCalls = 3 }).WaitAsync(Deadline);
        IReadOnlyList<ChatToolCall> asked = result.Messages[1].ToolCalls!;
        List<ChatMessage> answers = ToolMessages(result);
        Assert.Equal(SampleTools.ToolSet.Definitions.Count + 1, asked.Count);
        Assert.Equal(asked.Count, answers.Count);
        for (int i = 0; i < asked.Count; i++)
            Assert.Equal(asked[i].Id, answers[i].ToolCallId);
        Assert.Equal(ChatFinishReasons.Stop, result.Completion.FinishReason);
    }

    [Fact]
    public async Task Concurrent_calls_are_bounded()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(ToolCallReply(("slow", "{}"), ("slow", "{}"), ("slow", "{}"), ("slow", "{}"), ("slow", "{}"), ("slow", "{}")));
        ConcurrencyTools.Reset();
        ToolLoopResult result = await test.Client.RunToolsAsync(TestGateway.Ask("go"), ConcurrencyTools.ToolSet, new ToolLoopOptions { MaxConcurrentCalls = 2 }).WaitAsync(Deadline);
        Assert.Equal(6, result.ToolCalls);
        Assert.InRange(ConcurrencyTools.MaxSeen, 1, 2);
    }

    [Fact]
    public async Task Several_rounds_until_the_model_stops_asking()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(ToolCallReply(("add", """{"a":1,"b":2}""")));
        test.Gateway.Enqueue(ToolCallReply(("echo", """{"text":"three"}""")));
        ToolLoopResult result = await test.Client.RunToolsAsync(TestGateway.Ask("1+2, then say it"), SampleTools.ToolSet).WaitAsync(Deadline);
        Assert.Equal(3, result.Rounds);
        Assert.Equal(["3", "three"], [.. Contents(ToolMessages(result))]);
        Assert.Equal("The tool returned: three", result.Completion.Content);
    }

    private static List<string> Contents(List<ChatMessage> messages)
    {
        var list = new List<string>();
        foreach (ChatMessage m in messages)
            list.Add(m.Content ?? "(null)");
        return list;
    }

    [Fact]
    public async Task More_rounds_than_allowed_is_a_clear_error()
    {
        using var test = new TestGateway();
        for (int i = 0; i < 3; i++)
            test.Gateway.Enqueue(ToolCallReply(("add", """{"a":1,"b":2}""")));
        var ex = await Assert.ThrowsAsync<GatewayToolLoopException>(() => test.Client.RunToolsAsync(TestGateway.Ask("loop"), SampleTools.ToolSet, new ToolLoopOptions { MaxRounds = 2 }).WaitAsync(Deadline));
        Assert.Equal(2, ex.Rounds);
        Assert.Contains("MaxRounds", ex.Message);
        Assert.Equal(ChatFinishReasons.ToolCalls, ex.LastCompletion.FinishReason);
        Assert.Equal(2, test.Gateway.Requests.Count);
    }

    [Fact]
    public async Task A_tool_that_throws_is_reported_to_the_model_without_its_message_by_default()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(ToolCallReply(("explode", """{"reason":"r"}""")));
        var outcomes = new ConcurrentBag<ToolCallOutcome>();
        ToolLoopResult result = await test.Client.RunToolsAsync(TestGateway.Ask("x"), SampleTools.ToolSet, new ToolLoopOptions { CallCompleted = outcomes.Add }).WaitAsync(Deadline);
        string content = ToolMessages(result)[0].Content!;
        Assert.Equal("Error: the tool 'explode' failed.", content);
        ToolCallOutcome outcome = Assert.Single(outcomes);
        Assert.Equal(GatewayToolFailure.ToolFailed, outcome.Error!.Failure);
        Assert.IsType<InvalidOperationException>(outcome.Error.InnerException);
        Assert.Equal(ChatFinishReasons.Stop, result.Completion.FinishReason);

        test.Gateway.Enqueue(ToolCallReply(("explode", """{"reason":"r"}""")));
        result = await test.Client.RunToolsAsync(TestGateway.Ask("x"), SampleTools.ToolSet, new ToolLoopOptions { IncludeToolErrorMessages = true }).WaitAsync(Deadline);
        Assert.Contains("secret detail: r", ToolMessages(result)[0].Content);
    }

    [Fact]
    public async Task Bad_arguments_and_unknown_tools_are_told_to_the_model_and_the_loop_goes_on()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(ToolCallReply(("add", """{"a":"one","b":2}"""), ("launch_rockets", "{}"), ("add", "{\"a\":1,")));
        ToolLoopResult result = await test.Client.RunToolsAsync(TestGateway.Ask("x"), SampleTools.ToolSet).WaitAsync(Deadline);
        List<ChatMessage> answers = ToolMessages(result);
        Assert.StartsWith("Error: The arguments for 'add' do not fit its parameters at $.a", answers[0].Content);
        Assert.Equal("Error: There is no tool named 'launch_rockets'.", answers[1].Content);
        Assert.StartsWith("Error: The arguments for 'add' do not fit", answers[2].Content);
        Assert.Equal(2, result.Rounds);
    }

    [Fact]
    public async Task An_approval_hook_can_refuse_a_call()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(ToolCallReply(("remember", """{"notes":["vetoed"],"tag":null}"""), ("add", """{"a":1,"b":1}""")));
        var seen = new ConcurrentBag<string>();
        var options = new ToolLoopOptions
        {
            ApproveCall = (context, _) =>
            {
                seen.Add(context.Call.Name + "@" + context.Round);
                return new ValueTask<ToolCallDecision>(context.Call.Name == "remember" ? ToolCallDecision.Refuse("the user said no") : ToolCallDecision.Run);
            },
        };
        SampleTools.LastNotes = null;
        ToolLoopResult result = await test.Client.RunToolsAsync(TestGateway.Ask("x"), SampleTools.ToolSet, options).WaitAsync(Deadline);
        List<ChatMessage> answers = ToolMessages(result);
        Assert.Equal("Error: the call to 'remember' was refused: the user said no", answers[0].Content);
        Assert.Equal("2", answers[1].Content);
        Assert.Null(SampleTools.LastNotes);
        Assert.Equal(["add@1", "remember@1"], [.. Sorted(seen)]);
    }

    private static List<string> Sorted(IEnumerable<string> items)
    {
        var list = new List<string>(items);
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    [Fact]
    public async Task Cancellation_stops_the_loop_inside_a_tool()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(ToolCallReply(("wait", """{"milliseconds":600000}""")));
        using var cts = new CancellationTokenSource();
        var options = new ToolLoopOptions { ApproveCall = (_, _) => { cts.CancelAfter(50); return new ValueTask<ToolCallDecision>(ToolCallDecision.Run); } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => test.Client.RunToolsAsync(TestGateway.Ask("x"), SampleTools.ToolSet, options, cts.Token).WaitAsync(Deadline));
        Assert.Single(test.Gateway.Requests);
    }

    [Fact]
    public async Task The_streamed_loop_yields_text_and_runs_tools_between_rounds()
    {
        using var test = new TestGateway();
        var text = new StringBuilder();
        int toolFragments = 0;
        ChatRequest request = TestGateway.Ask("Shout hello");
        await foreach (ChatUpdate update in test.Client.StreamToolsAsync(request, MoreTools.ToolSet).WithCancellation(new CancellationTokenSource(Deadline).Token))
        {
            text.Append(Encoding.UTF8.GetString(update.ContentUtf8));
            foreach (ChatChoiceUpdate choice in update.Choices)
                toolFragments += choice.ToolCalls.Count;
        }
        Assert.True(toolFragments > 0, "the first round's tool-call fragments were not yielded");
        Assert.StartsWith("The tool returned: ", text.ToString());
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool], [.. Roles(request.Messages)]);
        Assert.Equal(request.Messages[2].Content, text.ToString()["The tool returned: ".Length..]);
    }

    [Fact]
    public async Task The_loop_runs_over_real_loopback_sockets()
    {
        FakeGateway gateway = FakeGateway.CreateDefault();
        await using LoopbackGatewayServer server = LoopbackGatewayServer.Start(gateway);
        using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = server.BaseUrl, ApiKey = FakeGateway.DefaultKey, DefaultModel = FakeGateway.DefaultModel });
        ToolLoopResult result = await client.RunToolsAsync(TestGateway.Ask("Shout it"), MoreTools.ToolSet).WaitAsync(Deadline);
        Assert.Equal(2, result.Rounds);
        Assert.Equal(ToolMessages(result)[0].Content!.ToUpperInvariant(), ToolMessages(result)[0].Content);

        var streamed = new StringBuilder();
        await foreach (ChatUpdate update in client.StreamToolsAsync(TestGateway.Ask("Shout it"), MoreTools.ToolSet).WithCancellation(new CancellationTokenSource(Deadline).Token))
            streamed.Append(Encoding.UTF8.GetString(update.ContentUtf8));
        Assert.StartsWith("The tool returned: ", streamed.ToString());
    }
}

[Trait("Category", "Core")]
public static partial class ConcurrencyTools
{
    private static int s_current;
    private static int s_max;

    internal static int MaxSeen => Volatile.Read(ref s_max);

    internal static void Reset()
    {
        s_current = 0;
        s_max = 0;
    }

    [GatewayTool]
    public static async Task<int> Slow(CancellationToken cancellationToken)
    {
        int now = Interlocked.Increment(ref s_current);
        int max;
        while ((max = Volatile.Read(ref s_max)) < now && Interlocked.CompareExchange(ref s_max, now, max) != max)
        {
        }
        try
        {
            await Task.Delay(20, cancellationToken);
            return now;
        }
        finally
        {
            Interlocked.Decrement(ref s_current);
        }
    }
}
