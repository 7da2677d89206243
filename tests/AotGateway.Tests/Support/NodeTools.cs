using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AotGateway.Tests.Support;

/// <summary>
/// Node.js and the npm packages the MCP interop tests run: the official MCP Inspector (its CLI) and the reference
/// server <c>server-everything</c>, pinned, installed once per test output folder into a folder the tests own.
/// </summary>
internal static class NodeTools
{
    public const string InspectorPackage = "@modelcontextprotocol/inspector@2.12.0";
    public const string EverythingPackage = "@modelcontextprotocol/server-everything@2026.8.31";

    private static readonly Lazy<Task<string>> s_install = new(InstallAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string? Node { get; } = Processes.FindOnPath("node");

    public static string? Npm { get; } = Processes.FindOnPath("npm");

    /// <summary>Why the interop tests cannot run here, or null when they can.</summary>
    public static string? MissingReason => Node is null || Npm is null
        ? "Node.js and npm are not on PATH: install Node.js 20 or later (https://nodejs.org, or 'apt-get install nodejs npm') to run the MCP interop tests (CI has them; .ci/run installs them where missing)."
        : null;

    /// <summary>The folder holding <c>node_modules</c> with both packages (installed on first use).</summary>
    public static Task<string> PackagesAsync() => s_install.Value;

    /// <summary>The Inspector's command line entry (run with <c>node</c>, then <c>--cli</c>).</summary>
    public static async Task<string> InspectorAsync() =>
        Path.Combine(await PackagesAsync(), "node_modules", "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js");

    /// <summary>server-everything's entry (run with <c>node</c>, then <c>stdio</c>).</summary>
    public static async Task<string> EverythingAsync() =>
        Path.Combine(await PackagesAsync(), "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");

    private static async Task<string> InstallAsync()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "mcp-npm");
        string marker = Path.Combine(folder, "installed.txt");
        string wanted = InspectorPackage + " " + EverythingPackage;
        if (File.Exists(marker) && File.ReadAllText(marker) == wanted)
            return folder;
        Directory.CreateDirectory(folder);
        // Install scripts are not needed (the Inspector's only fetches optional UI clients) and not run.
        Processes.Result install = await Processes.RunAsync(Npm!,
            $"install --no-audit --no-fund --ignore-scripts --prefix \"{folder}\" {InspectorPackage} {EverythingPackage}",
            TimeSpan.FromMinutes(5), folder);
        Assert.True(install.ExitCode == 0, "npm install failed: " + install.Output + install.Error);
        File.WriteAllText(marker, wanted);
        return folder;
    }

}

/// <summary>A fact that needs Node.js and npm: skipped, saying how to get them, where they are absent.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (NodeTools.MissingReason is { } reason)
            Skip = reason;
    }
}
