using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AotGateway.Tests.Mcp;

/// <summary>An MCP server tool with the schema and results a test chooses, as a server no one here wrote might have.</summary>
internal sealed class ScriptedServerTool(string name, string inputSchema, Func<IDictionary<string, JsonElement>, CallToolResult> answer) : McpServerTool
{
    public override Tool ProtocolTool { get; } = new()
    {
        Name = name,
        Description = "A scripted tool named " + name + ".",
        InputSchema = JsonDocument.Parse(inputSchema).RootElement.Clone(),
    };

    public override IReadOnlyList<object> Metadata => [];

    public List<string> Received { get; } = [];

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        IDictionary<string, JsonElement> arguments = request.Params?.Arguments ?? new Dictionary<string, JsonElement>();
        lock (Received)
            Received.Add(JsonSerializer.Serialize(arguments, McpTestJson.Default.IDictionaryStringJsonElement));
        return new(answer(arguments));
    }

    public static CallToolResult TextResult(string text) => new() { Content = [new TextContentBlock { Text = text }] };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IDictionary<string, JsonElement>))]
internal sealed partial class McpTestJson : System.Text.Json.Serialization.JsonSerializerContext;
