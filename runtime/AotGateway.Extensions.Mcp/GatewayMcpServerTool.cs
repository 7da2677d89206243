using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AotGateway.Extensions.Mcp;

/// <summary>
/// One tool of a <see cref="GatewayToolSet"/> as an MCP server tool: the set's own definition (name, description,
/// generated strict schema) and its own argument reading and dispatch, so nothing is reflected over.
/// </summary>
internal sealed class GatewayMcpServerTool : McpServerTool
{
    private readonly GatewayToolSet _set;
    private readonly bool _includeExceptionMessages;

    public GatewayMcpServerTool(GatewayToolSet set, ChatTool definition, bool includeExceptionMessages)
    {
        _set = set;
        _includeExceptionMessages = includeExceptionMessages;
        using JsonDocument schema = JsonDocument.Parse(definition.ParametersSchema);
        ProtocolTool = new Tool
        {
            Name = definition.Name,
            Description = definition.Description,
            InputSchema = schema.RootElement.Clone(),
        };
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string name = ProtocolTool.Name;
        string arguments = McpArguments.ToJson(request.Params?.Arguments);
        try
        {
            string content = await _set.InvokeAsync(new ChatToolCall("mcp", name, arguments), cancellationToken).ConfigureAwait(false);
            return new CallToolResult { Content = [new TextContentBlock { Text = content }] };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (GatewayToolException ex)
        {
            // Unknown names and arguments that do not fit: the caller can fix those, so it hears why.
            return Error(ex.Message);
        }
        catch (Exception ex)
        {
            // A tool's own failure is reported as a tool result, not a protocol error, as MCP asks; its message only
            // when the server chose to share it (it may hold what a client should not see).
            return Error(_includeExceptionMessages ? $"The tool '{name}' failed: {ex.Message}" : $"The tool '{name}' failed.");
        }
    }

    private static CallToolResult Error(string message) =>
        new() { IsError = true, Content = [new TextContentBlock { Text = message }] };
}
