using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Tools;

/// <summary>
/// StreamToolsAsync starts a call as soon as its arguments are complete. The server here is a test-driven body that
/// sends the second call only once the first call's tool has started: without eager starts the round never ends (the
/// test's bound fails it); with them it ends, with results in the model's order.
/// </summary>
[Trait("Category", "Core")]
public sealed class EagerToolTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private const string Head = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"acme/model\",\"choices\":[{\"index\":0,\"delta\":";

    private static string CallStarts(int index) =>
        Head + "{\"tool_calls\":[{\"index\":" + index + ",\"id\":\"call_" + index + "\",\"type\":\"function\",\"function\":{\"name\":\"gate\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n";

    private static string Arguments(int index, string json) =>
        Head + "{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + System.Text.Json.JsonSerializer.Serialize(json, TestJson.Default.String) + "}}]},\"finish_reason\":null}]}\n\n";

    private const string Finish = Head + "{},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n";

    /// <summary>A tool named gate: records when each call starts and finishes; a call can be held until released.</summary>
    private sealed class GateTools() : GatewayToolSet(ChatTool.Function("gate", "Waits.", """{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"],"additionalProperties":false}"""))
    {
        public readonly TaskCompletionSource[] Started = [new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)];
        public readonly ConcurrentQueue<string> Events = new();
        public TaskCompletionSource Hold { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool HoldCalls { get; init; }

        protected override bool TryInvoke(string name, string arguments, CancellationToken cancellationToken, out ValueTask<string> result)
        {
            result = RunAsync(arguments, cancellationToken);
            return name == "gate";
        }

        private async ValueTask<string> RunAsync(string arguments, CancellationToken cancellationToken)
        {
            int n = System.Text.Json.JsonDocument.Parse(arguments).RootElement.GetProperty("n").GetInt32();
            Events.Enqueue("start " + n);
            Started[n].TrySetResult();
            try
            {
                if (HoldCalls)
                    await Hold.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Events.Enqueue("cancelled " + n);
                throw;
            }
            // Later calls finish first, so the order of the tool messages is the model's, not the finishing order.
            await Task.Delay(30 * (3 - n), CancellationToken.None);
            Events.Enqueue("end " + n);
            return "gate " + n;
        }
    }

    /// <summary>Round 1 is the body the test writes; round 2 is a plain reply.</summary>
    private static (GatewayClient Client, Pipe Body) Client()
    {
        var body = new Pipe();
        int requests = 0;
        var handler = new StubHandler((_, _) =>
        {
            if (Interlocked.Increment(ref requests) == 1)
                return Task.FromResult(StubHandler.Response(HttpStatusCode.OK, body.Reader.AsStream(), "text/event-stream"));
            string done = Head + "{\"role\":\"assistant\",\"content\":\"done\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
            return Task.FromResult(StubHandler.Response(HttpStatusCode.OK, new MemoryStream(Encoding.UTF8.GetBytes(done)), "text/event-stream"));
        });
        return (new GatewayClient(StubHandler.Options(handler, o => o.Retry = RetryPolicy.None)), body);
    }

    private static async Task WriteAsync(Pipe body, string text)
    {
        await body.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public async Task A_call_starts_when_the_next_calls_index_appears_and_results_keep_the_models_order()
    {
        var tools = new GateTools();
        (GatewayClient client, Pipe body) = Client();
        using (client)
        {
            ChatRequest request = TestGateway.Ask("gates");
            Task<string> run = ReadAllAsync(client.StreamToolsAsync(request, tools, new ToolLoopOptions { MaxConcurrentCalls = 3 }));
            await WriteAsync(body, CallStarts(0) + Arguments(0, "{\"n\":0}") + CallStarts(1));
            // The server goes on only once the first call's tool runs: the reply is still streaming.
            await tools.Started[0].Task.WaitAsync(Bound);
            await WriteAsync(body, Arguments(1, "{\"n\":1}") + CallStarts(2));
            await tools.Started[1].Task.WaitAsync(Bound);
            await WriteAsync(body, Arguments(2, "{\"n\":2}") + Finish);
            await body.Writer.CompleteAsync();

            Assert.Equal("done", await run.WaitAsync(Bound));
            int tool = 0;
            foreach (ChatMessage message in request.Messages)
            {
                if (message.Role == ChatRole.Tool)
                {
                    Assert.Equal("call_" + tool, message.ToolCallId);
                    Assert.Equal("gate " + tool, message.Content);
                    tool++;
                }
            }
            Assert.Equal(3, tool);
            Assert.Equal(3, tools.Events.Count(e => e.StartsWith("start", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task CallStarted_tells_of_a_call_started_while_the_reply_still_streams_and_not_of_a_refused_one()
    {
        var tools = new GateTools();
        (GatewayClient client, Pipe body) = Client();
        using (client)
        {
            var told = new ConcurrentQueue<string>();
            var firstTold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var options = new ToolLoopOptions
            {
                ApproveCall = (context, _) => ValueTask.FromResult(context.Call.Id == "call_1" ? ToolCallDecision.Refuse("no") : ToolCallDecision.Run),
                CallStarted = context =>
                {
                    told.Enqueue(context.Call.Id + " round " + context.Round);
                    firstTold.TrySetResult();
                },
            };
            Task<string> run = ReadAllAsync(client.StreamToolsAsync(TestGateway.Ask("gates"), tools, options));
            await WriteAsync(body, CallStarts(0) + Arguments(0, "{\"n\":0}") + CallStarts(1));
            // Told before the server sends another byte: the call started while the reply was streaming.
            await firstTold.Task.WaitAsync(Bound);
            Assert.Equal(["call_0 round 1"], told.ToArray());
            await WriteAsync(body, Arguments(1, "{\"n\":1}") + Finish);
            await body.Writer.CompleteAsync();
            Assert.Equal("done", await run.WaitAsync(Bound));
            Assert.Equal(["call_0 round 1"], told.ToArray());
        }
    }

    [Fact]
    public async Task Calls_started_before_the_stream_fails_are_cancelled_and_awaited()
    {
        var tools = new GateTools { HoldCalls = true };
        (GatewayClient client, Pipe body) = Client();
        using (client)
        {
            Task<string> run = ReadAllAsync(client.StreamToolsAsync(TestGateway.Ask("gates"), tools));
            await WriteAsync(body, CallStarts(0) + Arguments(0, "{\"n\":0}") + CallStarts(1));
            await tools.Started[0].Task.WaitAsync(Bound);
            await WriteAsync(body, "data: {\"error\":{\"message\":\"overloaded\"}}\n\n");
            await body.Writer.CompleteAsync();

            await Assert.ThrowsAsync<GatewayStreamException>(() => run.WaitAsync(Bound));
            // The held call was cancelled and had ended by the time the loop's error reached the caller.
            Assert.Contains("cancelled 0", tools.Events);
            Assert.DoesNotContain(tools.Events, e => e.EndsWith(" 1", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Arguments_that_are_not_yet_whole_json_wait_for_the_end_of_the_reply()
    {
        // A server that interleaves: the first call's arguments are unfinished when the second call appears.
        var tools = new GateTools();
        (GatewayClient client, Pipe body) = Client();
        using (client)
        {
            ChatRequest request = TestGateway.Ask("gates");
            Task<string> run = ReadAllAsync(client.StreamToolsAsync(request, tools));
            await WriteAsync(body, CallStarts(0) + Arguments(0, "{\"n\":") + CallStarts(1) + Arguments(1, "{\"n\":1}") + Arguments(0, "0}"));
            await Task.Delay(100);
            Assert.Empty(tools.Events);
            await WriteAsync(body, Finish);
            await body.Writer.CompleteAsync();
            Assert.Equal("done", await run.WaitAsync(Bound));
            Assert.Contains("end 0", tools.Events);
            Assert.Contains("end 1", tools.Events);
        }
    }

    [Fact]
    public async Task With_StartCallsEarly_off_no_tool_runs_before_the_reply_ends()
    {
        var tools = new GateTools();
        (GatewayClient client, Pipe body) = Client();
        using (client)
        {
            Task<string> run = ReadAllAsync(client.StreamToolsAsync(TestGateway.Ask("gates"), tools, new ToolLoopOptions { StartCallsEarly = false }));
            await WriteAsync(body, CallStarts(0) + Arguments(0, "{\"n\":0}") + CallStarts(1) + Arguments(1, "{\"n\":1}"));
            await Task.Delay(100);
            Assert.Empty(tools.Events);
            await WriteAsync(body, Finish);
            await body.Writer.CompleteAsync();
            Assert.Equal("done", await run.WaitAsync(Bound));
            Assert.Contains("end 1", tools.Events);
        }
    }

    [Fact]
    public async Task Whitespace_after_whole_arguments_does_not_run_a_call_twice()
    {
        var tools = new GateTools();
        (GatewayClient client, Pipe body) = Client();
        using (client)
        {
            Task<string> run = ReadAllAsync(client.StreamToolsAsync(TestGateway.Ask("gates"), tools));
            await WriteAsync(body, CallStarts(0) + Arguments(0, "{\"n\":0}") + CallStarts(1));
            await tools.Started[0].Task.WaitAsync(Bound);
            await WriteAsync(body, Arguments(0, " \n") + Arguments(1, "{\"n\":1}") + Finish);
            await body.Writer.CompleteAsync();
            Assert.Equal("done", await run.WaitAsync(Bound));
            Assert.Single(tools.Events, e => e == "start 0");
            Assert.Single(tools.Events, e => e == "start 1");
        }
    }

    [Fact]
    public async Task A_call_whose_id_comes_late_waits_for_the_end_instead_of_running_twice()
    {
        var tools = new GateTools();
        (GatewayClient client, Pipe body) = Client();
        using (client)
        {
            // The first fragment names the tool without an id; the id follows after the next call's index appeared.
            string noId = Head + "{\"tool_calls\":[{\"index\":0,\"type\":\"function\",\"function\":{\"name\":\"gate\",\"arguments\":\"{\\\"n\\\":0}\"}}]},\"finish_reason\":null}]}\n\n";
            string lateId = Head + "{\"tool_calls\":[{\"index\":0,\"id\":\"call_0\"}]},\"finish_reason\":null}]}\n\n";
            Task<string> run = ReadAllAsync(client.StreamToolsAsync(TestGateway.Ask("gates"), tools));
            await WriteAsync(body, noId + CallStarts(1));
            await Task.Delay(100);
            Assert.Empty(tools.Events);
            await WriteAsync(body, lateId + Arguments(1, "{\"n\":1}") + Finish);
            await body.Writer.CompleteAsync();
            Assert.Equal("done", await run.WaitAsync(Bound));
            Assert.Single(tools.Events, e => e == "start 0");
        }
    }

    private static async Task<string> ReadAllAsync(System.Collections.Generic.IAsyncEnumerable<ChatUpdate> updates)
    {
        var text = new StringBuilder();
        await foreach (ChatUpdate update in updates)
            text.Append(update.Content);
        return text.ToString();
    }
}
