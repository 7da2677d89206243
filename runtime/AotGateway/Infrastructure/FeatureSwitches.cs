using System;
using System.Diagnostics.CodeAnalysis;

namespace AotGateway.Infrastructure;

/// <summary>
/// Trimming feature switches: machinery an app can remove from its NativeAOT binary. Set one off in the app's
/// project with <c>&lt;RuntimeHostConfigurationOption Include="AotGateway.Http.Decompression" Value="false" Trim="true" /&gt;</c>.
/// </summary>
internal static class FeatureSwitches
{
    /// <summary>
    /// gzip, deflate and brotli response bodies, decoded by the default handler. On by default; off, the
    /// native compression code leaves the binary (measured: 1.1 MB of a 6.6 MB app) and the client asks
    /// for, and accepts, only uncompressed bodies.
    /// </summary>
    [FeatureSwitchDefinition("AotGateway.Http.Decompression")]
    internal static bool IsDecompressionSupported { get; } =
        !AppContext.TryGetSwitch("AotGateway.Http.Decompression", out bool enabled) || enabled;

    /// <summary>
    /// The tool loop (<c>RunToolsAsync</c>, <c>StreamToolsAsync</c>). On by default; off, both throw
    /// <see cref="NotSupportedException"/> and the loop's code leaves the binary. Generated tool sets still
    /// dispatch calls the app runs itself. Read once, as the other switches (a test sets it in a child process's
    /// runtimeconfig.json, as an app does).
    /// </summary>
    [FeatureSwitchDefinition("AotGateway.Tools.Loop")]
    internal static bool IsToolLoopSupported { get; } = !AppContext.TryGetSwitch("AotGateway.Tools.Loop", out bool enabled) || enabled;

    /// <summary>
    /// Spans and metrics (<see cref="GatewayTelemetry"/>). On by default, and free while nobody listens; off,
    /// their code leaves the binary.
    /// </summary>
    [FeatureSwitchDefinition("AotGateway.Telemetry")]
    internal static bool IsTelemetrySupported { get; } = !AppContext.TryGetSwitch("AotGateway.Telemetry", out bool enabled) || enabled;

    internal static NotSupportedException ToolLoopRemoved() =>
        new("The tool loop was removed from this app by the AotGateway.Tools.Loop feature switch: remove the RuntimeHostConfigurationOption that turns it off, or run the calls with GatewayToolSet.InvokeAsync.");
}
