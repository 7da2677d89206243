using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Tests.Mcp;
using AotGateway.Tests.Support;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace AotGateway.Tests.NativeAot;

/// <summary>Both MCP directions from the NativeAOT aotgw: serving its sample tools, and running a server's tools in chat.</summary>
[Collection(NativeAotPublishes.Name)]
[Trait("Category", "NativeAot")]
public sealed class AotgwMcpTests(PublishedAotgw aotgw)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_native_mcp_server_lists_calls_and_survives_a_bad_call_in_one_session()
    {
        string binary = await aotgw.BinaryAsync();
        using var deadline = new CancellationTokenSource(Limit);
        await using McpClient client = await McpClient.CreateAsync(
            new StdioClientTransport(new StdioClientTransportOptions { Command = binary, Arguments = ["mcp", "serve"], Name = "aotgw" }),
            cancellationToken: deadline.Token);

        Assert.Equal("aotgw", client.ServerInfo?.Name);
        IList<McpClientTool> tools = await client.ListToolsAsync(cancellationToken: deadline.Token);
        Assert.Equal(["get_time", "calculate"], tools.Select(t => t.Name));

        CallToolResult divide = await client.CallToolAsync(McpServeTests.Call("calculate", """{"a":1,"operation":"Divide","b":0}"""), deadline.Token);
        Assert.True(divide.IsError);
        Assert.Equal("The tool 'calculate' failed: Division by zero.", McpServeTests.Text(divide));
        CallToolResult misfit = await client.CallToolAsync(McpServeTests.Call("calculate", """{"a":"one","operation":"Add","b":2}"""), deadline.Token);
        Assert.True(misfit.IsError);

        CallToolResult product = await client.CallToolAsync(McpServeTests.Call("calculate", """{"a":12345679,"operation":"Multiply","b":9}"""), deadline.Token);
        Assert.Equal("111111111", McpServeTests.Text(product));
        CallToolResult time = await client.CallToolAsync(McpServeTests.Call("get_time", "{}"), deadline.Token);
        Assert.True(DateTimeOffset.TryParse(McpServeTests.Text(time), out _), McpServeTests.Text(time));
    }

    [NodeFact]
    public async Task The_Inspector_lists_and_calls_the_tools_of_the_native_aotgw()
    {
        string binary = await aotgw.BinaryAsync();
        await InspectorChecks.RunAllAsync(binary, "");
    }

    [NodeFact]
    public async Task Native_aotgw_chat_runs_a_tool_of_server_everything_through_the_loop()
    {
        string binary = await aotgw.BinaryAsync();
        string everything = await NodeTools.EverythingAsync();
        Processes.Result run = await Processes.RunAsync(binary,
            $"chat --mcp \"{NodeTools.Node}\" --mcp-arg \"{everything}\" --mcp-arg stdio \"Please echo this back\"",
            Limit, null, ("BASETEN_API_KEY", null));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        // The fake gateway picks the tool the prompt names and fills its arguments; server-everything answers.
        Assert.StartsWith("The tool returned: Echo: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("aotgw: tool echo({\"message\":", run.Error, StringComparison.Ordinal);
    }
}
