using System;
using System.Text.Json;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Cli;

/// <summary>The README's first command builds aotgw for the JIT: only a publish brings in the NativeAOT compiler.</summary>
public sealed class CliProjectTests
{
    [Fact]
    public async Task NativeAOT_is_on_for_publishes_only_and_the_AOT_analyzers_run_on_every_build()
    {
        JsonElement build = await PropertiesAsync("");
        Assert.Equal("", build.GetProperty("PublishAot").GetString());
        Assert.Equal("true", build.GetProperty("EnableAotAnalyzer").GetString());
        Assert.Equal("true", build.GetProperty("EnableTrimAnalyzer").GetString());

        // `dotnet publish` sets _IsPublishing, for its restore as for its build.
        JsonElement publish = await PropertiesAsync("-p:_IsPublishing=true");
        Assert.Equal("true", publish.GetProperty("PublishAot").GetString());
    }

    private static async Task<JsonElement> PropertiesAsync(string extra)
    {
        Processes.Result result = await Processes.RunAsync("dotnet",
            $"msbuild runtime/AotGateway.Cli/AotGateway.Cli.csproj -getProperty:PublishAot -getProperty:EnableAotAnalyzer -getProperty:EnableTrimAnalyzer {extra}",
            TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        return JsonDocument.Parse(result.Output).RootElement.GetProperty("Properties").Clone();
    }
}
