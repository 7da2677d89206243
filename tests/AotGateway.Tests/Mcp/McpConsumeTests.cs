using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Extensions.Mcp;
using AotGateway.Tests.Support;
using AotGateway.Tests.Tools;
using ModelContextProtocol.Protocol;
using Xunit;

namespace AotGateway.Tests.Mcp;

/// <summary>An MCP server's tools in the tool loop, next to generated ones.</summary>
public sealed class McpConsumeTests
{
    private const string OpenSchema = """{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"query":{"type":"string","description":"What to look up."},"limit":{"type":"integer","minimum":1}},"required":["query"]}""";
    private const string ClosedSchema = """{"type":"object","properties":{"query":{"type":"string"}},"required":["query"],"additionalProperties":false}""";

    private static CancellationToken Deadline => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Schemas_are_sent_as_the_server_gave_them_and_strict_only_when_they_qualify()
    {
        await using InProcessMcp mcp = await InProcessMcp.StartAsync([
            new ScriptedServerTool("lookup", OpenSchema, _ => ScriptedServerTool.TextResult("x")),
            new ScriptedServerTool("closed", ClosedSchema, _ => ScriptedServerTool.TextResult("x")),
            .. McpTestTools.ToolSet.AsMcpServerTools(),
        ]);
        GatewayToolSet set = await mcp.Client.GetGatewayToolSetAsync(cancellationToken: Deadline);

        ChatTool lookup = set.Definitions.Single(d => d.Name == "lookup");
        Assert.Null(lookup.Strict);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(OpenSchema).RootElement, JsonDocument.Parse(lookup.ParametersSchema).RootElement));
        Assert.Equal("A scripted tool named lookup.", lookup.Description);
        Assert.True(set.Definitions.Single(d => d.Name == "closed").Strict);
        // Generated schemas travel through MCP and still qualify.
        Assert.True(set.Definitions.Single(d => d.Name == "add").Strict);
        Assert.Equal("the MCP server 'in-process'", set.Name);
    }

    [Fact]
    public async Task The_loop_runs_a_server_tool_beside_generated_ones_and_sends_its_result_back()
    {
        var lookup = new ScriptedServerTool("lookup", OpenSchema, args => ScriptedServerTool.TextResult("found: " + args["query"].GetString()));
        await using InProcessMcp mcp = await InProcessMcp.StartAsync([lookup]);
        GatewayToolSet tools = GatewayToolSet.Combine(SampleTools.ToolSet, await mcp.Client.GetGatewayToolSetAsync(cancellationToken: Deadline));
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("Look up the capital of Norway");
        request.ToolChoice = ChatToolChoice.Function("lookup");

        ToolLoopResult result = await test.Client.RunToolsAsync(request, tools, cancellationToken: Deadline);

        Assert.Equal(1, result.ToolCalls);
        string received = Assert.Single(lookup.Received);
        string query = JsonDocument.Parse(received).RootElement.GetProperty("query").GetString()!;
        using JsonDocument first = JsonDocument.Parse(test.Gateway.Requests[0].BodyText);
        string[] offered = [.. first.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()!)];
        Assert.Contains("lookup", offered);
        Assert.Contains("get_weather", offered);
        using JsonDocument second = JsonDocument.Parse(test.Gateway.Requests[1].BodyText);
        JsonElement toolMessage = second.RootElement.GetProperty("messages").EnumerateArray().Last();
        Assert.Equal("tool", toolMessage.GetProperty("role").GetString());
        Assert.Equal("found: " + query, toolMessage.GetProperty("content").GetString());
        Assert.Equal("The tool returned: found: " + query, result.Completion.Content);
    }

    [Fact]
    public async Task Results_become_tool_messages_text_structured_content_and_errors()
    {
        await using InProcessMcp mcp = await InProcessMcp.StartAsync([
            new ScriptedServerTool("texts", ClosedSchema, _ => new CallToolResult { Content = [new TextContentBlock { Text = "one" }, new TextContentBlock { Text = "two" }] }),
            new ScriptedServerTool("structured", ClosedSchema, _ => new CallToolResult { Content = [], StructuredContent = JsonDocument.Parse("""{"temperature":21.5}""").RootElement.Clone() }),
            new ScriptedServerTool("image", ClosedSchema, _ => new CallToolResult { Content = [ImageContentBlock.FromBytes(new byte[] { 1, 2, 3 }, "image/png"), new TextContentBlock { Text = "a chart" }] }),
            new ScriptedServerTool("broken", ClosedSchema, _ => new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "the database is down" }] }),
        ]);
        GatewayToolSet set = await mcp.Client.GetGatewayToolSetAsync(cancellationToken: Deadline);
        var call = new Func<string, ChatToolCall>(name => new ChatToolCall("call_1", name, """{"query":"q"}"""));

        Assert.Equal("one\ntwo", await set.InvokeAsync(call("texts"), Deadline));
        Assert.Equal("""{"temperature":21.5}""", await set.InvokeAsync(call("structured"), Deadline));
        Assert.Equal("[image, image/png]\na chart", await set.InvokeAsync(call("image"), Deadline));
        GatewayToolException error = await Assert.ThrowsAsync<GatewayToolException>(() => set.InvokeAsync(call("broken"), Deadline).AsTask());
        Assert.Equal(GatewayToolFailure.ToolFailed, error.Failure);
        Assert.Equal("The tool 'broken' of the MCP server 'in-process' reported an error: the database is down", error.Message);

        // In the loop, the error goes back to the model as a tool message, as a generated tool's would.
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("check the database");
        request.ToolChoice = ChatToolChoice.Function("broken");
        var outcomes = new List<ToolCallOutcome>();
        await test.Client.RunToolsAsync(request, set, new ToolLoopOptions { CallCompleted = outcomes.Add }, Deadline);
        ToolCallOutcome outcome = Assert.Single(outcomes);
        Assert.Equal("Error: " + error.Message, outcome.Content);
        Assert.Equal(GatewayToolFailure.ToolFailed, outcome.Error!.Failure);
    }

    [Fact]
    public async Task Arguments_that_are_not_a_JSON_object_are_refused_before_the_server_is_asked()
    {
        var lookup = new ScriptedServerTool("lookup", OpenSchema, _ => ScriptedServerTool.TextResult("x"));
        await using InProcessMcp mcp = await InProcessMcp.StartAsync([lookup]);
        GatewayToolSet set = await mcp.Client.GetGatewayToolSetAsync(cancellationToken: Deadline);

        foreach (string bad in new[] { "not json", "[1,2]", "\"text\"", "{\"query\":" })
        {
            GatewayToolException error = await Assert.ThrowsAsync<GatewayToolException>(() => set.InvokeAsync(new ChatToolCall("c", "lookup", bad), Deadline).AsTask());
            Assert.Equal(GatewayToolFailure.InvalidArguments, error.Failure);
        }
        Assert.Empty(lookup.Received);
    }

    [Fact]
    public async Task A_name_clash_between_sets_names_the_tool_and_both_sets_and_a_prefix_resolves_it()
    {
        var add = new ScriptedServerTool("add", ClosedSchema, args => ScriptedServerTool.TextResult("server add"));
        await using InProcessMcp mcp = await InProcessMcp.StartAsync([add]);
        GatewayToolSet plain = await mcp.Client.GetGatewayToolSetAsync(cancellationToken: Deadline);

        ArgumentException clash = Assert.Throws<ArgumentException>(() => GatewayToolSet.Combine(SampleTools.ToolSet, plain));
        Assert.Contains("'add'", clash.Message, StringComparison.Ordinal);
        Assert.Contains("SampleTools", clash.Message, StringComparison.Ordinal);
        Assert.Contains("the MCP server 'in-process'", clash.Message, StringComparison.Ordinal);

        GatewayToolSet prefixed = await mcp.Client.GetGatewayToolSetAsync(new McpToolSetOptions { NamePrefix = "srv_" }, Deadline);
        GatewayToolSet both = GatewayToolSet.Combine(SampleTools.ToolSet, prefixed);
        Assert.Equal("server add", await both.InvokeAsync(new ChatToolCall("c", "srv_add", """{"query":"q"}"""), Deadline));
        Assert.Equal("5", await both.InvokeAsync(new ChatToolCall("c", "add", """{"a":2,"b":3}"""), Deadline));
    }

    [Fact]
    public async Task Tool_names_a_model_cannot_take_are_mapped_and_calls_reach_the_servers_own_name()
    {
        string longName = new('t', 100);
        var dotted = new ScriptedServerTool("files.read", ClosedSchema, _ => ScriptedServerTool.TextResult("dotted"));
        var tooLong = new ScriptedServerTool(longName, ClosedSchema, _ => ScriptedServerTool.TextResult("long"));
        await using InProcessMcp mcp = await InProcessMcp.StartAsync([dotted, tooLong]);
        GatewayToolSet set = await mcp.Client.GetGatewayToolSetAsync(cancellationToken: Deadline);

        Assert.Equal(["files_read", new string('t', 64)], set.Definitions.Select(d => d.Name));
        Assert.Equal("dotted", await set.InvokeAsync(new ChatToolCall("c", "files_read", """{"query":"q"}"""), Deadline));
        Assert.Equal("long", await set.InvokeAsync(new ChatToolCall("c", new string('t', 64), """{"query":"q"}"""), Deadline));
        Assert.Single(dotted.Received);

        await using InProcessMcp clashing = await InProcessMcp.StartAsync([
            new ScriptedServerTool("a.b", ClosedSchema, _ => ScriptedServerTool.TextResult("1")),
            new ScriptedServerTool("a_b", ClosedSchema, _ => ScriptedServerTool.TextResult("2")),
        ]);
        ArgumentException clash = await Assert.ThrowsAsync<ArgumentException>(() => clashing.Client.GetGatewayToolSetAsync(cancellationToken: Deadline));
        Assert.Contains("'a.b' and 'a_b' both become 'a_b'", clash.Message, StringComparison.Ordinal);
    }
}
