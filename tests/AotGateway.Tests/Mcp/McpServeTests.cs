using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Extensions.Mcp;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace AotGateway.Tests.Mcp;

/// <summary>A generated tool set served over MCP, read by the official SDK's client.</summary>
public sealed class McpServeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_server_lists_each_tool_with_its_generated_name_description_and_strict_schema()
    {
        await using InProcessMcp mcp = await InProcessMcp.StartAsync(McpTestTools.ToolSet.AsMcpServerTools());
        IList<McpClientTool> listed = await mcp.Client.ListToolsAsync(cancellationToken: new CancellationTokenSource(Deadline).Token);

        Assert.Equal(McpTestTools.ToolSet.Definitions.Select(d => d.Name), listed.Select(t => t.Name));
        foreach (ChatTool definition in McpTestTools.ToolSet.Definitions)
        {
            Tool tool = listed.Single(t => t.Name == definition.Name).ProtocolTool;
            Assert.Equal(definition.Description, tool.Description);
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(definition.ParametersSchema).RootElement, tool.InputSchema),
                $"{definition.Name}: {tool.InputSchema.GetRawText()}");
        }
    }

    [Fact]
    public async Task A_call_runs_the_tool_and_bad_arguments_are_a_tool_error_after_which_the_server_still_answers()
    {
        await using InProcessMcp mcp = await InProcessMcp.StartAsync(McpTestTools.ToolSet.AsMcpServerTools());
        using var deadline = new CancellationTokenSource(Deadline);

        CallToolResult sum = await mcp.Client.CallToolAsync(Call("add", """{"a":12345679,"b":9}"""), deadline.Token);
        Assert.NotEqual(true, sum.IsError);
        Assert.Equal("12345688", Text(sum));

        foreach (string bad in new[] { """{"a":"twelve","b":9}""", """{"a":1}""", """{"a":1.5,"b":2}""" })
        {
            CallToolResult refused = await mcp.Client.CallToolAsync(Call("add", bad), deadline.Token);
            Assert.True(refused.IsError, bad);
            Assert.Contains("add", Text(refused), StringComparison.Ordinal);
        }

        CallToolResult again = await mcp.Client.CallToolAsync(Call("add", """{"a":2,"b":3}"""), deadline.Token);
        Assert.Equal("5", Text(again));
    }

    [Fact]
    public async Task A_tool_that_throws_is_a_tool_error_that_keeps_its_message_private_unless_asked()
    {
        await using (InProcessMcp quiet = await InProcessMcp.StartAsync(McpTestTools.ToolSet.AsMcpServerTools()))
        {
            CallToolResult result = await quiet.Client.CallToolAsync(Call("fail", "{}"), new CancellationTokenSource(Deadline).Token);
            Assert.True(result.IsError);
            Assert.Equal("The tool 'fail' failed.", Text(result));
        }

        await using InProcessMcp open = await InProcessMcp.StartAsync(McpTestTools.ToolSet.AsMcpServerTools(includeExceptionMessages: true));
        CallToolResult shared = await open.Client.CallToolAsync(Call("fail", "{}"), new CancellationTokenSource(Deadline).Token);
        Assert.True(shared.IsError);
        Assert.Equal("The tool 'fail' failed: secret detail", Text(shared));
    }

    [Fact]
    public async Task A_client_that_cancels_a_call_cancels_the_tools_token()
    {
        McpTestTools.WaitStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        McpTestTools.WaitCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InProcessMcp mcp = await InProcessMcp.StartAsync(McpTestTools.ToolSet.AsMcpServerTools());
        using var cancel = new CancellationTokenSource();

        Task<CallToolResult> call = mcp.Client.CallToolAsync(Call("wait_forever", "{}"), cancel.Token).AsTask();
        await McpTestTools.WaitStarted.Task.WaitAsync(Deadline);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Deadline));
        Assert.True(await McpTestTools.WaitCancelled.Task.WaitAsync(Deadline), "the tool's token was not cancelled");
    }

    internal static CallToolRequestParams Call(string name, string arguments)
    {
        using JsonDocument document = JsonDocument.Parse(arguments);
        return new CallToolRequestParams
        {
            Name = name,
            Arguments = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
        };
    }

    internal static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
