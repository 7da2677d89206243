using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Cli;

/// <summary>
/// Runs a command that needs MCP in <c>aotgw-mcp</c>, beside this binary, when this one was built without MCP
/// (<see cref="McpFeature"/>): the companion inherits standard input, output and error, so an MCP client talks to it
/// directly, and its exit code is aotgw's.
/// </summary>
internal static class McpCompanion
{
    public const string FileName = "aotgw-mcp";

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        string path = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? FileName + ".exe" : FileName);
        if (!File.Exists(path))
        {
            await console.Error.WriteLineAsync(
                $"aotgw: this aotgw was built without MCP, and its companion {FileName} is not beside it ({path}). " +
                "Publish the CLI project again (it publishes both), or run aotgw from a JIT build.").ConfigureAwait(false);
            return ExitCodes.Unexpected;
        }
        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process companion = Process.Start(start)!;
        try
        {
            await companion.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C reached the companion too (one process group); it stops on its own. Give it a moment, then end it.
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await companion.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                companion.Kill(entireProcessTree: true);
                await companion.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        return companion.ExitCode;
    }
}
