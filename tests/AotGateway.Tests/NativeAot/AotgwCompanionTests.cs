using System;
using System.Diagnostics;
using System.Threading;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AotGateway.Tests.NativeAot;

/// <summary>
/// Published NativeAOT, aotgw leaves MCP to its companion aotgw-mcp (the MCP SDK cost every start of aotgw 5 MB
/// resident): aotgw links none of the SDK, the companion is published beside it, and the MCP commands still work
/// through aotgw (the Inspector's checks of `aotgw mcp serve` are in <see cref="AotgwMcpTests"/>).
/// </summary>
[Collection(NativeAotPublishes.Name)]
[Trait("Category", "NativeAot")]
public class AotgwCompanionTests(PublishedAotgw aotgw, ITestOutputHelper output)
{
    [Fact]
    public async Task Aotgw_links_no_MCP_and_its_companion_beside_it_answers_for_it()
    {
        string binary = await aotgw.BinaryAsync();
        string companion = Path.Combine(aotgw.OutputDirectory, "aotgw-mcp");
        Assert.True(File.Exists(companion), "aotgw-mcp was not published beside aotgw");
        long size = new FileInfo(companion).Length;
        output.WriteLine($"aotgw-mcp NativeAOT size: {size:N0} bytes");
        SizeBudget.Check("aotgw-mcp", size);

        // The SDK's types leave names in a binary that links them (its JSON contexts' type info among them).
        Assert.False(Contains(binary, "ModelContextProtocol"), "aotgw links the MCP SDK");
        Assert.True(Contains(companion, "ModelContextProtocol"), "the check above would not see the SDK");

        // Through aotgw: its arguments, standard input and output, and its exit code pass through the companion.
        const string conversation = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
            {"jsonrpc":"2.0","method":"notifications/initialized"}
            {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"calculate","arguments":{"a":12345679,"operation":"Multiply","b":9}}}
            """;
        (int exitCode, string served) = await ServeAsync(binary, conversation);
        Assert.True(exitCode == 0, served);
        Assert.Contains("\"text\":\"111111111\"", served);

        Processes.Result usage = await Processes.RunAsync(binary, "mcp", TimeSpan.FromMinutes(1), aotgw.OutputDirectory);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("aotgw mcp serve", usage.Error);
    }

    /// <summary>`aotgw mcp serve` given <paramref name="conversation"/>; its input stays open a moment so it answers before it sees the end.</summary>
    private static async Task<(int ExitCode, string Output)> ServeAsync(string binary, string conversation)
    {
        var start = new ProcessStartInfo(binary, "mcp serve") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process server = Process.Start(start)!;
        Task<string> output = server.StandardOutput.ReadToEndAsync();
        Task<string> error = server.StandardError.ReadToEndAsync();
        await server.StandardInput.WriteAsync(conversation + "\n");
        await server.StandardInput.FlushAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        server.StandardInput.Close();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await server.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            server.Kill(entireProcessTree: true);
            throw new TimeoutException("aotgw mcp serve did not end after its input closed.");
        }
        return (server.ExitCode, await output + await error);
    }

    private static bool Contains(string path, string text)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }
}
