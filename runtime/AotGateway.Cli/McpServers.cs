using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ModelContextProtocol.Client;

namespace AotGateway.Cli;

/// <summary>Connecting <c>aotgw chat --mcp</c> to an MCP server: a command run over stdio, or an HTTP endpoint.</summary>
internal static class McpServers
{
    public static bool IsUrl(string server) =>
        server.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || server.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static async Task<McpClient> ConnectAsync(string server, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        IClientTransport transport = IsUrl(server)
            ? new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server), Name = server })
            : new StdioClientTransport(new StdioClientTransportOptions { Command = server, Arguments = [.. arguments], Name = server });
        var options = new McpClientOptions
        {
            ClientInfo = new ModelContextProtocol.Protocol.Implementation { Name = "aotgw", Version = Infrastructure.LibraryInfo.Version },
        };
        try
        {
            return await McpClient.CreateAsync(transport, options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.IO.IOException or System.Net.Http.HttpRequestException or ModelContextProtocol.McpException or TimeoutException)
        {
            // One line that names the server and the cause (a missing command, a refused connection), not a stack trace.
            string cause = ex.InnerException?.Message ?? ex.Message;
            throw new InvalidOperationException($"could not connect to the MCP server '{server}': {cause}", ex);
        }
    }
}
