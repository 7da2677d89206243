using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.NativeAot;

/// <summary>
/// aotgw published NativeAOT once for every test of the NativeAOT collection that runs the binary (the publish
/// takes minutes); the publish's output is kept for the test that checks it has no warning.
/// </summary>
public sealed class PublishedAotgw : IAsyncLifetime
{
    private readonly string _outDir = Path.Combine(Path.GetTempPath(), "aotgw-aot-" + Guid.NewGuid().ToString("N"));
    private Task<Processes.Result>? _publish;

    /// <summary>The native binary's path.</summary>
    public string Binary => Path.Combine(_outDir, "aotgw");

    public string OutputDirectory => _outDir;

    /// <summary>Publishes on first use; later callers share the result.</summary>
    internal Task<Processes.Result> PublishAsync() => _publish ??= Processes.RunAsync("dotnet",
        $"publish runtime/AotGateway.Cli/AotGateway.Cli.csproj -c Release -r linux-x64 -p:PublishAot=true -o \"{_outDir}\" -nologo",
        TimeSpan.FromMinutes(8));

    /// <summary>Publishes if needed and fails the calling test when the publish failed.</summary>
    public async Task<string> BinaryAsync()
    {
        Processes.Result publish = await PublishAsync();
        Assert.True(publish.ExitCode == 0, publish.Output + publish.Error);
        Assert.True(File.Exists(Binary), "no native binary");
        return Binary;
    }

    /// <summary>Warning lines of the publish (trim, AOT or any other analyzer).</summary>
    internal static string[] Warnings(Processes.Result publish) =>
        [.. (publish.Output + publish.Error).Split('\n').Where(l => Regex.IsMatch(l, @"warning\s+(IL[23]\d{3}|[A-Z]+\d+)"))];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_outDir))
            Directory.Delete(_outDir, recursive: true);
        return Task.CompletedTask;
    }
}
