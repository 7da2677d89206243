using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AotGateway.Tests.NativeAot;

/// <summary>
/// The smoke app consumes the packed packages from a folder feed made in this run, publishes NativeAOT with
/// the size options, must print no warning, and must pass every check it runs against the fake gateway.
/// </summary>
[Collection(NativeAotPublishes.Name)]
[Trait("Category", "NativeAot")]
public class SmokeAppPublishTests(PackedFeed packed, ITestOutputHelper output)
{
    /// <summary>The package holds these files, a license expression and a README; the generator rides inside as an analyzer.</summary>
    private static void AssertPackage(string path, params string[] files)
    {
        using ZipArchive package = ZipFile.OpenRead(path);
        foreach (string file in files)
            Assert.True(package.GetEntry(file) is not null, $"{Path.GetFileName(path)} lacks {file}");
        ZipArchiveEntry nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var reader = new StreamReader(nuspec.Open());
        string manifest = reader.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", manifest);
        Assert.Contains("<readme>README.md</readme>", manifest);
        Assert.Matches("<tags>[^<]*nativeaot[^<]*</tags>", manifest);
        Assert.Matches("<description>[^<]{40,}</description>", manifest);
        // Where it comes from, named by the project (not the packing clone's remote), and its icon.
        Assert.Matches("<projectUrl>https://[^<]+</projectUrl>", manifest);
        Assert.Matches("<repository type=\"git\" url=\"https://[^\"]+\"[^>]* commit=\"[0-9a-f]{40}\"", manifest);
        Assert.Contains("<icon>icon.png</icon>", manifest);
        Assert.NotNull(package.GetEntry("icon.png"));
        // The package page is the package's own short README, not the repository's (tests, bench, CI sections).
        string id = Regex.Match(manifest, "<id>([^<]+)</id>").Groups[1].Value;
        using (var readme = new StreamReader(package.GetEntry("README.md")!.Open()))
        {
            string text = readme.ReadToEnd();
            Assert.StartsWith("# " + id + "\n", text);
            Assert.DoesNotContain("dotnet test", text);
            Assert.DoesNotContain(".ci/run", text);
        }
        // The core package stands on the shared framework alone; AotGateway.Testing depends on it and nothing else.
        string[] dependencies = [.. System.Text.RegularExpressions.Regex.Matches(manifest, "<dependency id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];
        string name = Path.GetFileName(path);
        string[] expected = name.StartsWith("AotGateway.Testing.", StringComparison.Ordinal) ? ["AotGateway"]
            : name.StartsWith("AotGateway.Extensions.AI.", StringComparison.Ordinal) ? ["AotGateway", "Microsoft.Extensions.AI.Abstractions"]
            : name.StartsWith("AotGateway.Extensions.DependencyInjection.", StringComparison.Ordinal)
                ? ["AotGateway", "AotGateway.Extensions.AI", "Microsoft.Extensions.Configuration.Binder", "Microsoft.Extensions.Http", "Microsoft.Extensions.Options.ConfigurationExtensions"]
            : name.StartsWith("AotGateway.Extensions.Redis.", StringComparison.Ordinal) ? ["AotGateway", "Microsoft.Extensions.Logging.Abstractions", "StackExchange.Redis"]
            : [];
        Assert.Equal(expected, dependencies);
    }

    /// <summary>
    /// The symbols of a package packed without a CI variable: every source path mapped to <c>/_/</c> (no path of the
    /// machine that packed it) and Source Link naming the project's repository at a commit.
    /// </summary>
    private static void AssertDeterministicSymbols(string path)
    {
        using ZipArchive package = ZipFile.OpenRead(path);
        foreach (ZipArchiveEntry entry in package.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)))
        {
            using var pdb = new MemoryStream();
            using (Stream stream = entry.Open())
                stream.CopyTo(pdb);
            pdb.Position = 0;
            using var provider = System.Reflection.Metadata.MetadataReaderProvider.FromPortablePdbStream(pdb);
            System.Reflection.Metadata.MetadataReader reader = provider.GetMetadataReader();
            int documents = 0;
            foreach (System.Reflection.Metadata.DocumentHandle handle in reader.Documents)
            {
                string name = reader.GetString(reader.GetDocument(handle).Name);
                Assert.True(name.StartsWith("/_/", StringComparison.Ordinal), $"{entry.FullName} in {Path.GetFileName(path)} names a local path: {name}");
                documents++;
            }
            Assert.True(documents > 0, $"{entry.FullName} lists no documents");
            string? sourceLink = null;
            foreach (System.Reflection.Metadata.CustomDebugInformationHandle handle in reader.CustomDebugInformation)
            {
                System.Reflection.Metadata.CustomDebugInformation info = reader.GetCustomDebugInformation(handle);
                if (reader.GetGuid(info.Kind) == new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A"))
                    sourceLink = System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value));
            }
            Assert.NotNull(sourceLink);
            Assert.Matches(@"""/_/\*"":""https://raw\.githubusercontent\.com/[^""]+/[0-9a-f]{40}/\*""", sourceLink);
        }
    }

    [Fact]
    public async Task The_smoke_app_built_from_the_packages_publishes_NativeAOT_without_warnings_and_passes()
    {
        string work = Path.Combine(Path.GetTempPath(), "aotgw-smoke-" + Guid.NewGuid().ToString("N"));
        string feed = await packed.PackAsync();
        string version = packed.Version;
        try
        {
            Assert.Equal(PackedFeed.Projects.Length, Directory.GetFiles(feed, "*.nupkg").Length);
            AssertPackage(Path.Combine(feed, $"AotGateway.{version}.nupkg"),
                "lib/net10.0/AotGateway.dll", "lib/net10.0/AotGateway.xml", "analyzers/dotnet/cs/AotGateway.Generator.dll", "README.md");
            AssertPackage(Path.Combine(feed, $"AotGateway.Testing.{version}.nupkg"), "lib/net10.0/AotGateway.Testing.dll", "README.md");
            AssertPackage(Path.Combine(feed, $"AotGateway.Extensions.AI.{version}.nupkg"), "lib/net10.0/AotGateway.Extensions.AI.dll", "README.md");
            AssertPackage(Path.Combine(feed, $"AotGateway.Extensions.DependencyInjection.{version}.nupkg"), "lib/net10.0/AotGateway.Extensions.DependencyInjection.dll", "README.md");
            AssertPackage(Path.Combine(feed, $"AotGateway.Extensions.Redis.{version}.nupkg"), "lib/net10.0/AotGateway.Extensions.Redis.dll", "README.md");
            foreach (string symbols in Directory.GetFiles(feed, "*.snupkg"))
                AssertDeterministicSymbols(symbols);

            string outDir = Path.Combine(work, "out");
            Processes.Result publish = await Processes.RunAsync("dotnet",
                $"publish tests/AotGateway.SmokeApp/AotGateway.SmokeApp.csproj -c Release -r linux-x64 -o \"{outDir}\" -nologo " +
                $"-p:AotGatewayPackageVersion={version} -p:RestoreAdditionalProjectSources=\"{feed}\" -p:BaseIntermediateOutputPath=\"{Path.Combine(work, "obj")}/\"",
                TimeSpan.FromMinutes(8));
            Assert.True(publish.ExitCode == 0, publish.Output + publish.Error);
            string[] warnings = [.. (publish.Output + publish.Error).Split('\n').Where(l => Regex.IsMatch(l, @"warning\s+[A-Z]+\d+"))];
            Assert.True(warnings.Length == 0, string.Join('\n', warnings));

            string binary = Path.Combine(outDir, "AotGateway.SmokeApp");
            Assert.True(File.Exists(binary), "no native binary");
            Assert.False(File.Exists(Path.Combine(outDir, "AotGateway.dll")), "published as IL, not native");
            long size = new FileInfo(binary).Length;
            output.WriteLine($"smoke app NativeAOT size: {size:N0} bytes");

            Processes.Result run = await Processes.RunAsync(binary, "", TimeSpan.FromMinutes(1));
            output.WriteLine(run.Output);
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            Assert.Contains("smoke: all passed", run.Output);
            Assert.DoesNotContain("FAIL", run.Output);
            Assert.Equal(11, run.Output.Split('\n').Count(l => l.StartsWith("ok ", StringComparison.Ordinal)));
            SizeBudget.Check("smoke-app", size);
        }
        finally
        {
            if (Directory.Exists(work))
                Directory.Delete(work, recursive: true);
        }
    }
}
