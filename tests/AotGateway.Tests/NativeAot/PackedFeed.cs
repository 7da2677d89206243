using System;
using System.IO;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.NativeAot;

/// <summary>
/// The shipped packages packed once per run into a folder feed, with a version of the run's own so the NuGet
/// cache never hands back a package packed by an earlier run. Projects outside the solution consume them as users do.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    internal static readonly string[] Projects =
    [
        "runtime/AotGateway/AotGateway.csproj",
        "runtime/AotGateway.Testing/AotGateway.Testing.csproj",
        "runtime/AotGateway.Extensions.AI/AotGateway.Extensions.AI.csproj",
        "runtime/AotGateway.Extensions.DependencyInjection/AotGateway.Extensions.DependencyInjection.csproj",
        "runtime/AotGateway.Extensions.Mcp/AotGateway.Extensions.Mcp.csproj",
        "runtime/AotGateway.Extensions.Redis/AotGateway.Extensions.Redis.csproj",
    ];

    private readonly string _work = Path.Combine(Path.GetTempPath(), "aotgw-feed-" + Guid.NewGuid().ToString("N"));
    private Task<string>? _pack;

    /// <summary>The packages' version in this run.</summary>
    public string Version { get; } = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The folder holding the .nupkg files.</summary>
    public string Directory => Path.Combine(_work, "feed");

    /// <summary>Packs on first use (later callers share the result) and fails the calling test when a pack failed.</summary>
    public async Task<string> PackAsync()
    {
        string failure = await (_pack ??= PackAllAsync());
        Assert.True(failure.Length == 0, failure);
        return Directory;
    }

    private async Task<string> PackAllAsync()
    {
        foreach (string project in Projects)
        {
            // Packed as on a developer's machine (no CI variable): the packages must come out the same as in CI.
            Processes.Result pack = await Processes.RunAsync("dotnet", $"pack {project} -c Release -o \"{Directory}\" -p:Version={Version} -nologo", TimeSpan.FromMinutes(5),
                null, ("CI", null), ("GITHUB_ACTIONS", null), ("TF_BUILD", null));
            if (pack.ExitCode != 0)
                return $"dotnet pack {project} failed:\n{pack.Output}{pack.Error}";
        }
        return "";
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (System.IO.Directory.Exists(_work))
            System.IO.Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }
}
