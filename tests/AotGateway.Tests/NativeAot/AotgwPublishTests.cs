using System;
using System.IO;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AotGateway.Tests.NativeAot;

/// <summary>Invariant 1: aotgw publishes NativeAOT with no trim or AOT warning, and the binary works.</summary>
[Collection(NativeAotPublishes.Name)]
[Trait("Category", "NativeAot")]
public class AotgwPublishTests(PublishedAotgw aotgw, ITestOutputHelper output)
{
    [Fact]
    public async Task Aotgw_publishes_NativeAOT_without_warnings_and_streams_from_the_fake_gateway()
    {
        Processes.Result publish = await aotgw.PublishAsync();
        Assert.True(publish.ExitCode == 0, publish.Output + publish.Error);
        string[] warnings = PublishedAotgw.Warnings(publish);
        Assert.True(warnings.Length == 0, string.Join('\n', warnings));

        string binary = await aotgw.BinaryAsync();
        Assert.False(File.Exists(Path.Combine(aotgw.OutputDirectory, "aotgw.dll")), "published as IL, not native");
        long size = new FileInfo(binary).Length;
        output.WriteLine($"aotgw NativeAOT size: {size:N0} bytes");
        SizeBudget.Check("aotgw", size);

        Processes.Result run = await Processes.RunAsync(binary, "chat \"hi from native code\"", TimeSpan.FromMinutes(1), null, ("BASETEN_API_KEY", null));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("You said: hi from native code\n", run.Output);
        Assert.Contains("fake gateway", run.Error);

        // Generated JSON code and schemas under NativeAOT: a structured output through the fake gateway.
        Processes.Result structured = await Processes.RunAsync(binary, "chat --schema weather \"weather in Oslo\"", TimeSpan.FromMinutes(1), null, ("BASETEN_API_KEY", null));
        Assert.Equal(0, structured.ExitCode);
        Assert.Contains("\"temperature_c\": 1.5", structured.Output);
        Assert.Contains("\"date\": \"2026-01-02\"", structured.Output);

        // Generated tools and the tool loop under NativeAOT.
        Processes.Result tools = await Processes.RunAsync(binary, "chat --tools \"what time is it\"", TimeSpan.FromMinutes(1), null, ("BASETEN_API_KEY", null));
        Assert.Equal(0, tools.ExitCode);
        Assert.StartsWith("The tool returned: 20", tools.Output);
        Assert.Contains("aotgw: tool get_time({}) -> ", tools.Error);

        Processes.Result accumulate = await Processes.RunAsync(binary, $"sse accumulate \"{Path.Combine(Fixtures.RealDirectory, "StreamingStructuredRefusalWorks.1.response.sse")}\"", TimeSpan.FromMinutes(1));
        Assert.Equal(0, accumulate.ExitCode);
        Assert.Contains("\"finish_reason\":\"stop\"", accumulate.Output);
    }
}
