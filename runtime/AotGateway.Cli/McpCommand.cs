using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Cli.Samples;
using AotGateway.Extensions.Mcp;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AotGateway.Cli;

/// <summary><c>aotgw mcp serve</c>: the sample tools (<c>get_time</c>, <c>calculate</c>) as an MCP server over stdio.</summary>
internal static class McpCommand
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        if (args is not ["serve"])
            throw new UsageException(args.Length == 0 ? "'mcp' needs a subcommand: aotgw mcp serve" : $"unknown mcp subcommand '{string.Join(' ', args)}'");

        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "aotgw", Version = Infrastructure.LibraryInfo.Version },
            ServerInstructions = "Sample tools of aotgw: get_time gives the current UTC time, calculate does exact arithmetic.",
            // The sample tools' failures ("Division by zero.") are meant for the model: share them.
            ToolCollection = [.. SampleTools.ToolSet.AsMcpServerTools(includeExceptionMessages: true)],
        };
        // stdout carries only protocol messages; the SDK logs nowhere unless given a logger factory.
        Stream input = console.OpenInput();
        await using var transport = new StreamServerTransport(input, console.Output, "aotgw");
        await using McpServer server = McpServer.Create(transport, options);
        try
        {
            await server.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: a normal way for a stdio server to stop.
        }
        return ExitCodes.Ok;
    }
}
