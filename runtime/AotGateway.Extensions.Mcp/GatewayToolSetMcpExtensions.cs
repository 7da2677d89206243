using System;
using System.Collections.Generic;
using ModelContextProtocol.Server;

namespace AotGateway.Extensions.Mcp;

/// <summary>Serving a tool set over MCP.</summary>
public static class GatewayToolSetMcpExtensions
{
    /// <summary>
    /// The set's tools as MCP server tools, for <c>McpServerOptions.ToolCollection</c> (or the hosting package's
    /// <c>WithTools</c>): each keeps its generated strict schema and description, reads its arguments with the
    /// generated reader and runs through the set's dispatch, with no reflection. Arguments that do not fit, and
    /// failures of the tool, come back as MCP tool errors (<c>isError: true</c>), not protocol failures; cancellation
    /// from the client reaches the tool's <see cref="System.Threading.CancellationToken"/>.
    /// </summary>
    /// <param name="tools">The set to serve.</param>
    /// <param name="includeExceptionMessages">Whether a tool's exception message goes to the client; off by default, as
    /// it may say more than a client should hear. Argument errors are always explained.</param>
    public static IReadOnlyList<McpServerTool> AsMcpServerTools(this GatewayToolSet tools, bool includeExceptionMessages = false)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var served = new McpServerTool[tools.Definitions.Count];
        for (int i = 0; i < served.Length; i++)
            served[i] = new GatewayMcpServerTool(tools, tools.Definitions[i], includeExceptionMessages);
        return served;
    }
}
