using System;
using System.Diagnostics;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Relay;

/// <summary>The relay's page in a real headless browser: the text appears, and closing the page cancels the upstream request.</summary>
// Beside the NativeAOT publishes, one at a time: the relay is built by its tests, and builds must not overlap.
[Collection(AotGateway.Tests.NativeAot.NativeAotPublishes.Name)]
public sealed class RelayBrowserTests
{
    private const string Shown = "document.getElementById('status').textContent + '|' + document.getElementById('out').textContent";

    [ChromiumFact]
    public async Task The_page_shows_the_streamed_text_and_closing_it_cancels_the_gateway_request()
    {
        var fake = FakeGateway.CreateDefault();
        await using LoopbackGatewayServer gateway = LoopbackGatewayServer.Start(fake);
        await using RelayProcess relay = await RelayProcess.StartAsync(await RelayProcess.DllAsync(), gateway.BaseUrl, FakeGateway.DefaultKey);
        await using Chromium browser = await Chromium.StartAsync();

        (string first, string firstSession) = await browser.OpenAsync(new Uri(relay.Address, "/?prompt=hello%20browser"));
        string shown = await browser.WaitForAsync(firstSession, Shown, v => v.StartsWith("done|", StringComparison.Ordinal) || v.StartsWith("error", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("done|You said: hello browser", shown);
        string html = await browser.EvaluateAsync(firstSession, "document.documentElement.outerHTML");
        Assert.DoesNotContain(FakeGateway.DefaultKey, html, StringComparison.Ordinal);
        await browser.CloseAsync(first);

        // A model still generating: closing the tab must stop the relay's request to the gateway.
        fake.Enqueue(RelayStreams.SlowReply(words: 400, pace: TimeSpan.FromMilliseconds(50)));
        (string second, string secondSession) = await browser.OpenAsync(new Uri(relay.Address, "/?prompt=talk"));
        await browser.WaitForAsync(secondSession, Shown, v => v.Contains("word3", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal(1, gateway.OpenConnections);
        await browser.CloseAsync(second);

        TimeSpan closedAfter = await OpenConnections.TimeUntilClosedAsync(gateway);
        Assert.True(closedAfter < TimeSpan.FromSeconds(1), $"the gateway request was still open {(closedAfter == TimeSpan.MaxValue ? "over 10 s" : closedAfter.TotalMilliseconds.ToString("0") + " ms")} after the page closed");
    }
}
