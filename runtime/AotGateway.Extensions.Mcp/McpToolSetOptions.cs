using System;
using ModelContextProtocol.Protocol;

namespace AotGateway.Extensions.Mcp;

/// <summary>How an MCP server's tools become a <see cref="GatewayToolSet"/>.</summary>
public sealed class McpToolSetOptions
{
    /// <summary>
    /// Put in front of every tool name the model sees (the server still gets its own names), so two servers, or a
    /// server and a generated set, with a tool of the same name can be combined: <c>"github_"</c>.
    /// </summary>
    public string? NamePrefix { get; set; }

    /// <summary>Which of the server's tools to offer; all when not set.</summary>
    public Func<Tool, bool>? Filter { get; set; }

    /// <summary>What the set is called in errors; by default "the MCP server '&lt;its name&gt;'".</summary>
    public string? Name { get; set; }
}
