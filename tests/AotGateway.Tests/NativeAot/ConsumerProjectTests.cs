using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AotGateway.Tests.NativeAot;

/// <summary>
/// What a user meets: a project outside this repository (none of its props or targets), default SDK settings,
/// the packages from this run's folder feed, every C# block of the READMEs pasted in. It must build and publish
/// NativeAOT without a warning, and its checks of the silent failures must pass under JIT and NativeAOT.
/// </summary>
[Collection(NativeAotPublishes.Name)]
[Trait("Category", "NativeAot")]
public class ConsumerProjectTests(PackedFeed packed, ITestOutputHelper output)
{
    private static readonly string[] s_packageReadmes =
    [
        "runtime/AotGateway/README.md",
        "runtime/AotGateway.Extensions.AI/README.md",
        "runtime/AotGateway.Extensions.DependencyInjection/README.md",
        "runtime/AotGateway.Extensions.Mcp/README.md",
        "runtime/AotGateway.Testing/README.md",
    ];

    // The consumer's DI check reads these, as a deployed app would from its environment.
    private static readonly (string, string?)[] s_environment =
    [
        ("BASETEN_API_KEY", "consumer-key"),
        ("BASETEN_BASE_URL", "https://from-env.example/v1"),
        ("BASETEN_MODEL", "acme/from-env"),
    ];

    private static string[] Warnings(Processes.Result result) =>
        [.. (result.Output + result.Error).Split('\n').Where(l => Regex.IsMatch(l, @"warning\s+[A-Z]+\d+")).Distinct()];

    /// <summary>A folder outside the repository with a nuget.config naming the feed beside the default sources.</summary>
    private static string NewWorkFolder(string feed)
    {
        string work = Path.Combine(Path.GetTempPath(), "aotgw-consumer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="aotgateway-run" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        return work;
    }

    private static string Project(string work, string name)
    {
        string folder = Path.Combine(work, name);
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Processes.RepositoryRoot, "tests/AotGateway.Consumer/AotGateway.Consumer.csproj"), Path.Combine(folder, name + ".csproj"));
        return folder;
    }

    [Fact]
    public async Task Every_README_example_builds_in_a_default_project_and_its_checks_pass_under_JIT_and_NativeAOT()
    {
        string feed = await packed.PackAsync();
        string work = NewWorkFolder(feed);
        try
        {
            string project = Project(work, "Consumer");
            File.Copy(Path.Combine(Processes.RepositoryRoot, "tests/AotGateway.Consumer/ConsumerChecks.cs"), Path.Combine(project, "ConsumerChecks.cs"));
            int blocks = 0;
            foreach ((string heading, string code) in Readme.CSharpBlocks("README.md"))
            {
                if (heading == "Quick start")
                    continue; // top-level statements: a program of its own, run by the next test
                if (heading == "Semantic Kernel")
                    continue; // not NativeAOT-clean: compiled and run under JIT by SemanticKernelTests
                File.WriteAllText(Path.Combine(project, $"Readme{++blocks:00}.cs"), code);
            }
            Assert.True(blocks >= 7, $"only {blocks} README blocks");
            foreach (string readme in s_packageReadmes)
            {
                int n = 0;
                foreach ((string _, string code) in Readme.CSharpBlocks(readme))
                    File.WriteAllText(Path.Combine(project, $"{Path.GetFileName(Path.GetDirectoryName(readme))}.Readme{++n}.cs"), code);
                Assert.True(n > 0, readme + " has no C# example");
            }

            string version = $"-p:AotGatewayVersion={packed.Version}";
            Processes.Result build = await Processes.RunAsync("dotnet", $"build -c Release -nologo {version}", TimeSpan.FromMinutes(5), project);
            Assert.True(build.ExitCode == 0, build.Output + build.Error);
            Assert.True(Warnings(build).Length == 0, string.Join('\n', Warnings(build)));
            Processes.Result jit = await Processes.RunAsync("dotnet", Path.Combine(project, "bin/Release/net10.0/Consumer.dll"), TimeSpan.FromMinutes(1), project, s_environment);
            output.WriteLine(jit.Output + jit.Error);
            AssertPassed(jit);

            string outDir = Path.Combine(work, "aot");
            Processes.Result publish = await Processes.RunAsync("dotnet",
                $"publish -c Release -r linux-x64 -p:PublishAot=true -nologo {version} -o \"{outDir}\"", TimeSpan.FromMinutes(8), project);
            Assert.True(publish.ExitCode == 0, publish.Output + publish.Error);
            Assert.True(Warnings(publish).Length == 0, string.Join('\n', Warnings(publish)));
            Assert.False(File.Exists(Path.Combine(outDir, "Consumer.dll")), "published as IL, not native");
            Processes.Result native = await Processes.RunAsync(Path.Combine(outDir, "Consumer"), "", TimeSpan.FromMinutes(1), project, s_environment);
            output.WriteLine(native.Output + native.Error);
            AssertPassed(native);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void AssertPassed(Processes.Result run)
    {
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("consumer: all passed", run.Output);
        Assert.DoesNotContain("FAIL", run.Output);
        Assert.True(run.Output.Split('\n').Count(l => l.StartsWith("ok ", StringComparison.Ordinal)) >= 20, run.Output);
        // README's telemetry example printed the span of the traced call.
        Assert.Matches(@"(?m)^chat \S+ \d+ ms, \d+ tokens out$", run.Output);
    }

    [Fact]
    public async Task The_quick_start_runs_as_a_Program_cs_against_a_gateway_named_by_the_environment()
    {
        string feed = await packed.PackAsync();
        string work = NewWorkFolder(feed);
        try
        {
            string project = Project(work, "QuickStart");
            (string _, string quickStart) = Readme.CSharpBlocks("README.md").Single(b => b.Heading == "Quick start");
            File.WriteAllText(Path.Combine(project, "Program.cs"), quickStart);
            Processes.Result build = await Processes.RunAsync("dotnet", $"build -c Release -nologo -p:AotGatewayVersion={packed.Version}", TimeSpan.FromMinutes(5), project);
            Assert.True(build.ExitCode == 0, build.Output + build.Error);
            Assert.True(Warnings(build).Length == 0, string.Join('\n', Warnings(build)));

            FakeGateway gateway = FakeGateway.CreateDefault().AddModel("acme/llama-3-70b").AddKey("quick-start-key", "acme/llama-3-70b");
            await using LoopbackGatewayServer server = LoopbackGatewayServer.Start(gateway);
            Processes.Result run = await Processes.RunAsync("dotnet", Path.Combine(project, "bin/Release/net10.0/QuickStart.dll"), TimeSpan.FromMinutes(1), project,
                ("BASETEN_API_KEY", "quick-start-key"), ("BASETEN_BASE_URL", server.BaseUrl.ToString()), ("BASETEN_MODEL", null));
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            // Once whole, once streamed.
            Assert.Equal("You said: Why is the sky blue?\nYou said: Why is the sky blue?", run.Output.TrimEnd());
            Assert.Equal(2, gateway.Requests.Count);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
