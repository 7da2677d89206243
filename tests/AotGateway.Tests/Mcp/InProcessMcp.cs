using System;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AotGateway.Tests.Mcp;

/// <summary>An MCP server and a client joined by in-memory pipes: the real SDK on both ends, no process, no socket.</summary>
internal sealed class InProcessMcp : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private McpServer _server = null!;
    private Task _running = Task.CompletedTask;

    public McpClient Client { get; private set; } = null!;

    public static async Task<InProcessMcp> StartAsync(IEnumerable<McpServerTool> tools, string serverName = "in-process")
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var options = new McpServerOptions { ServerInfo = new Implementation { Name = serverName, Version = "1.0" } };
        options.ToolCollection = [];
        foreach (McpServerTool tool in tools)
            options.ToolCollection.Add(tool);
        var mcp = new InProcessMcp();
        mcp._server = McpServer.Create(new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream(), serverName), options);
        mcp._running = mcp._server.RunAsync(mcp._stop.Token);
        using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        mcp.Client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()), cancellationToken: connect.Token);
        return mcp;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        await _server.DisposeAsync();
        _stop.Dispose();
    }
}
