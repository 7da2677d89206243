using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ModelContextProtocol.Client;

namespace AotGateway.Extensions.Mcp;

/// <summary>An MCP server's tools in the tool loop.</summary>
public static class McpClientGatewayExtensions
{
    /// <summary>
    /// Lists the server's tools (every page) and returns them as a tool set for <c>RunToolsAsync</c> and
    /// <c>StreamToolsAsync</c>; join it with generated sets by <see cref="GatewayToolSet.Combine"/>. Calls go to the
    /// server through <paramref name="client"/>, which must stay open while the set is used. The set is a snapshot:
    /// list again after the server says its tools changed.
    /// </summary>
    /// <exception cref="ArgumentException">The server lists two tools that end up with the same name.</exception>
    public static async Task<GatewayToolSet> GetGatewayToolSetAsync(this McpClient client, McpToolSetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        IList<McpClientTool> tools = await client.ListToolsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return McpToolSet.Create(client, tools, options ?? new McpToolSetOptions());
    }
}
