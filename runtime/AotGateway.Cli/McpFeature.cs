using System;
using System.Diagnostics.CodeAnalysis;

namespace AotGateway.Cli;

/// <summary>
/// Whether aotgw speaks MCP itself. The MCP SDK and its JSON contexts made a NativeAOT aotgw's every start pay for
/// them (5 MB more resident at start-up for type data the runtime restores eagerly, and 2 ms) whether or not a command
/// used MCP; published NativeAOT, aotgw is built with this switch off and hands <c>mcp</c> and <c>chat --mcp</c> to
/// its companion binary <c>aotgw-mcp</c>, the same program built with the switch on (<see cref="McpCompanion"/>).
/// On in every JIT build.
/// </summary>
internal static class McpFeature
{
    public const string Switch = "AotGateway.Cli.Mcp";

    [FeatureSwitchDefinition(Switch)]
    public static bool IsInProcess { get; } = !AppContext.TryGetSwitch(Switch, out bool enabled) || enabled;
}
