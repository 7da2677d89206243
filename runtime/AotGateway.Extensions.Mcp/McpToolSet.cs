using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AotGateway.Extensions.Mcp;

/// <summary>
/// The tools an MCP server lists, as a tool set the tool loop runs beside generated ones. Input schemas are sent as
/// the server gave them (strict only when they already meet OpenAI's strict rules); a call goes to the server
/// under its own name, and its result comes back as the text of a tool message.
/// </summary>
internal sealed class McpToolSet : GatewayToolSet
{
    private readonly McpClient _client;
    private readonly Dictionary<string, string> _serverNames; // the name the model sees → the server's name
    private readonly string _name;

    private McpToolSet(McpClient client, ChatTool[] definitions, Dictionary<string, string> serverNames, string name)
        : base(definitions)
    {
        _client = client;
        _serverNames = serverNames;
        _name = name;
    }

    public override string Name => _name;

    public static McpToolSet Create(McpClient client, IList<McpClientTool> tools, McpToolSetOptions options)
    {
        var definitions = new List<ChatTool>(tools.Count);
        var serverNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (McpClientTool tool in tools)
        {
            Tool protocol = tool.ProtocolTool;
            if (options.Filter is { } filter && !filter(protocol))
                continue;
            string name = ToolNames.ForModel(options.NamePrefix + protocol.Name);
            if (serverNames.TryGetValue(name, out string? earlier))
            {
                throw new ArgumentException(
                    $"The MCP server's tools '{earlier}' and '{protocol.Name}' both become '{name}' (a model's tool names are letters, digits, '_' and '-', at most 64). Leave one out with McpToolSetOptions.Filter.",
                    nameof(tools));
            }
            byte[] schema = McpInputSchema.Normalize(protocol.InputSchema);
            definitions.Add(ChatTool.Function(name, protocol.Description, schema, strict: StrictSchemaRules.Qualifies(schema) ? true : null));
            serverNames[name] = protocol.Name;
        }
        string setName = options.Name ?? $"the MCP server '{client.ServerInfo?.Name ?? "(unnamed)"}'";
        return new McpToolSet(client, [.. definitions], serverNames, setName);
    }

    protected override bool TryInvoke(string name, string arguments, CancellationToken cancellationToken, out ValueTask<string> result)
    {
        if (!_serverNames.TryGetValue(name, out string? serverName))
        {
            result = default;
            return false;
        }
        result = CallAsync(name, serverName, arguments, cancellationToken);
        return true;
    }

    private async ValueTask<string> CallAsync(string name, string serverName, string arguments, CancellationToken cancellationToken)
    {
        var request = new CallToolRequestParams { Name = serverName, Arguments = McpArguments.FromJson(name, arguments) };
        CallToolResult result = await _client.CallToolAsync(request, cancellationToken).ConfigureAwait(false);
        string text = McpResultText.Of(result);
        if (result.IsError == true)
            throw new GatewayToolException($"The tool '{name}' of {_name} reported an error: {text}", name, GatewayToolFailure.ToolFailed);
        return text;
    }
}
