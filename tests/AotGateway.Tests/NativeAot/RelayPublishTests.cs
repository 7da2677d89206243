using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Relay;
using AotGateway.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AotGateway.Tests.NativeAot;

/// <summary>The relay service published NativeAOT: no warning, within its size budget, and it relays.</summary>
[Collection(NativeAotPublishes.Name)]
[Trait("Category", "NativeAot")]
public sealed class RelayPublishTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_relay_publishes_NativeAOT_without_warnings_and_streams_from_the_fake_gateway()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "agw-relay-" + Guid.NewGuid().ToString("N"));
        try
        {
            Processes.Result publish = await Processes.RunAsync("dotnet",
                $"publish tests/AotGateway.Relay/AotGateway.Relay.csproj -c Release -r linux-x64 -o \"{outDir}\" -nologo", TimeSpan.FromMinutes(10));
            Assert.True(publish.ExitCode == 0, publish.Output + publish.Error);
            string[] warnings = PublishedAotgw.Warnings(publish);
            Assert.True(warnings.Length == 0, string.Join('\n', warnings));
            string binary = Path.Combine(outDir, "AotGateway.Relay");
            Assert.False(File.Exists(Path.Combine(outDir, "AotGateway.Relay.dll")), "published as IL, not native");
            long size = new FileInfo(binary).Length;
            output.WriteLine($"relay NativeAOT size: {size:N0} bytes");
            SizeBudget.Check("relay", size);

            await using LoopbackGatewayServer gateway = LoopbackGatewayServer.Start(FakeGateway.CreateDefault());
            await using RelayProcess relay = await RelayProcess.StartAsync(binary, gateway.BaseUrl, FakeGateway.DefaultKey);
            using var http = new HttpClient();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using HttpResponseMessage response = await http.SendAsync(RelayStreams.Post(relay.Address, "hello native relay"), HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var events = await RelayStreams.ReadEventsAsync(await response.Content.ReadAsStreamAsync(deadline.Token), null, deadline.Token);
            Assert.Equal("You said: hello native relay", RelayStreams.Text(events));
            Assert.Equal("done", events[^1].Type);
        }
        finally
        {
            if (Directory.Exists(outDir))
                Directory.Delete(outDir, recursive: true);
        }
    }
}
