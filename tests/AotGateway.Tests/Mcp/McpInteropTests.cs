using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Extensions.Mcp;
using AotGateway.Tests.Support;
using ModelContextProtocol.Client;
using Xunit;

namespace AotGateway.Tests.Mcp;

/// <summary>
/// Against MCP software no one here wrote, run with Node.js: the official Inspector's CLI lists and calls the tools
/// of <c>aotgw mcp serve</c>, and the reference server <c>server-everything</c>'s tools run in the tool loop.
/// </summary>
public sealed class McpInteropTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [NodeFact]
    public async Task The_Inspector_lists_and_calls_the_tools_of_aotgw_mcp_serve()
    {
        string aotgw = CliRunner.AotgwDll;
        await InspectorChecks.RunAllAsync("dotnet", $"\"{aotgw}\"");
    }

    [NodeFact]
    public async Task The_loop_runs_a_tool_of_server_everything_and_sends_its_real_result_back()
    {
        string everything = await NodeTools.EverythingAsync();
        using var connect = new CancellationTokenSource(Limit);
        await using McpClient client = await McpClient.CreateAsync(
            new StdioClientTransport(new StdioClientTransportOptions { Command = NodeTools.Node!, Arguments = [everything, "stdio"], Name = "everything" }),
            cancellationToken: connect.Token);
        GatewayToolSet served = await client.GetGatewayToolSetAsync(cancellationToken: connect.Token);

        // Its schemas travel as it lists them; they declare "$schema" and leave objects open, so none is sent strict.
        IList<McpClientTool> listed = await client.ListToolsAsync(cancellationToken: connect.Token);
        foreach (McpClientTool tool in listed)
        {
            ChatTool definition = served.Definitions.Single(d => d.Name == tool.Name);
            Assert.True(JsonElement.DeepEquals(tool.ProtocolTool.InputSchema, JsonDocument.Parse(definition.ParametersSchema).RootElement), tool.Name);
            Assert.Null(definition.Strict);
        }

        GatewayToolSet tools = GatewayToolSet.Combine(McpTestTools.ToolSet, served);
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("Please echo this back");
        request.ToolChoice = ChatToolChoice.Function("echo");
        ToolLoopResult result = await test.Client.RunToolsAsync(request, tools, cancellationToken: connect.Token);

        Assert.Equal(1, result.ToolCalls);
        using JsonDocument second = JsonDocument.Parse(test.Gateway.Requests[1].BodyText);
        JsonElement[] messages = [.. second.RootElement.GetProperty("messages").EnumerateArray()];
        string arguments = messages[^2].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!;
        string message = JsonDocument.Parse(arguments).RootElement.GetProperty("message").GetString()!;
        Assert.Equal("tool", messages[^1].GetProperty("role").GetString());
        // server-everything's echo answers "Echo: <message>": the real tool ran and its answer reached the model.
        Assert.Equal("Echo: " + message, messages[^1].GetProperty("content").GetString());
    }
}

/// <summary>The Inspector CLI's checks of an <c>aotgw mcp serve</c> server, shared by the JIT and NativeAOT tests.</summary>
internal static class InspectorChecks
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static async Task RunAllAsync(string command, string commandArguments)
    {
        string inspector = await NodeTools.InspectorAsync();
        string server = $"{command} {commandArguments} mcp serve";

        Processes.Result list = await Inspect(inspector, server, "--method tools/list");
        Assert.True(list.ExitCode == 0, list.Output + list.Error);
        JsonElement[] tools = [.. JsonDocument.Parse(list.Output).RootElement.GetProperty("tools").EnumerateArray()];
        IReadOnlyList<ChatTool> expected = AotGateway.Cli.Samples.SampleTools.ToolSet.Definitions;
        Assert.Equal(expected.Select(d => d.Name), tools.Select(t => t.GetProperty("name").GetString()));
        foreach (ChatTool definition in expected)
        {
            JsonElement tool = tools.Single(t => t.GetProperty("name").GetString() == definition.Name);
            Assert.Equal(definition.Description, tool.GetProperty("description").GetString());
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(definition.ParametersSchema).RootElement, tool.GetProperty("inputSchema")), tool.GetRawText());
        }

        Processes.Result call = await Inspect(inspector, server, "--method tools/call --tool-name calculate --tool-arg a=12345679 operation=Multiply b=9");
        Assert.True(call.ExitCode == 0, call.Output + call.Error);
        JsonElement answer = JsonDocument.Parse(call.Output).RootElement;
        Assert.Equal("111111111", answer.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.False(answer.TryGetProperty("isError", out JsonElement isError) && isError.GetBoolean());

        // A wrong operation is a tool error the client can read, not a protocol failure: the Inspector prints the
        // result with isError (and exits non-zero, as it does for any tool error).
        Processes.Result bad = await Inspect(inspector, server, "--method tools/call --tool-name calculate --tool-arg a=1 operation=Modulo b=9");
        int start = bad.Output.IndexOf('{', StringComparison.Ordinal);
        Assert.True(start >= 0, bad.Output + bad.Error);
        using JsonDocument document = JsonDocument.Parse(FirstJsonValue(bad.Output[start..]));
        Assert.True(document.RootElement.GetProperty("isError").GetBoolean(), bad.Output);
        Assert.Contains("calculate", document.RootElement.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    private static Task<Processes.Result> Inspect(string inspector, string server, string method) =>
        Processes.RunAsync(NodeTools.Node!, $"\"{inspector}\" --cli {server} {method}", Limit, null, ("BASETEN_API_KEY", null));

    /// <summary>The first complete JSON value of a text that may carry more lines after it.</summary>
    private static string FirstJsonValue(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        using JsonDocument first = JsonDocument.ParseValue(ref reader);
        return first.RootElement.GetRawText();
    }
}
