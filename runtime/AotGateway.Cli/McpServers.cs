using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ModelContextProtocol.Client;

namespace AotGateway.Cli;

/// <summary>
/// Connecting <c>aotgw chat --mcp</c> to an MCP server run over stdio. Only stdio: the SDK's HTTP transport would add
/// 1.85 MB (13.90 → 12.05 MB measured) to a binary that size matters for; the library itself takes any McpClient.
/// </summary>
internal static class McpServers
{
    public static bool IsUrl(string server) =>
        server.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || server.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static async Task<McpClient> ConnectAsync(string server, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (IsUrl(server))
            throw new UsageException("--mcp runs a server over stdio (a command); for an HTTP server, use the AotGateway.Extensions.Mcp package with the SDK's HttpClientTransport");
        var transport = new StdioClientTransport(new StdioClientTransportOptions { Command = server, Arguments = [.. arguments], Name = server });
        var options = new McpClientOptions
        {
            ClientInfo = new ModelContextProtocol.Protocol.Implementation { Name = "aotgw", Version = Infrastructure.LibraryInfo.Version },
        };
        try
        {
            return await McpClient.CreateAsync(transport, options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.IO.IOException or ModelContextProtocol.McpException or TimeoutException)
        {
            // One line that names the server and the cause (a missing command, a refused connection), not a stack trace.
            string cause = ex.InnerException?.Message ?? ex.Message;
            throw new InvalidOperationException($"could not connect to the MCP server '{server}': {cause}", ex);
        }
    }
}
