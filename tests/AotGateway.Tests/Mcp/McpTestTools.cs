using System;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Tests.Mcp;

/// <summary>Tools for the MCP tests: arithmetic, a failure with a detail to keep private, and one that waits to be cancelled.</summary>
public static partial class McpTestTools
{
    internal static TaskCompletionSource<bool> WaitCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    internal static TaskCompletionSource<bool> WaitStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Adds two integers.</summary>
    /// <param name="a">The first addend.</param>
    /// <param name="b">The second addend.</param>
    [GatewayTool(Name = "add")]
    public static long Add(int a, int b) => (long)a + b;

    /// <summary>Always fails.</summary>
    [GatewayTool(Name = "fail")]
    public static string Fail() => throw new InvalidOperationException("secret detail");

    /// <summary>Waits until cancelled.</summary>
    [GatewayTool(Name = "wait_forever")]
    public static async Task<string> WaitForever(CancellationToken cancellationToken)
    {
        WaitStarted.TrySetResult(true);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "not cancelled";
        }
        catch (OperationCanceledException)
        {
            WaitCancelled.TrySetResult(true);
            throw;
        }
    }
}
