using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Tests.Reliability;
using AotGateway.Tests.Streaming;
using Xunit;

namespace AotGateway.Tests.Telemetry;

/// <summary>
/// A stream through the client itself (request, response, telemetry hooks and all) allocates nothing per
/// event while nobody listens. Runs alone, after the parallel tests, so no other test's listener is attached.
/// </summary>
[Collection(LoadTestsRunAlone.Name)]
[Trait("Category", "Core")]
public class NoListenerAllocationTests
{
    private sealed class InMemoryHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StreamContent(new MemoryStream(body, writable: false)) };
            response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
            return Task.FromResult(response);
        }
    }

    [Fact]
    public void A_client_stream_allocates_nothing_per_event_when_nobody_listens()
    {
        const int WarmUp = 2_000, Measured = 10_000, Windows = 5;
        using var client = new GatewayClient(new GatewayClientOptions
        {
            BaseUrl = new Uri("https://gateway.test/v1"),
            ApiKey = "test-key",
            DefaultModel = "acme/model",
            Handler = new InMemoryHandler(AllocationTests.TextStream(WarmUp + Windows * Measured + 10)),
        });
        IAsyncEnumerator<ChatUpdate> updates = client.StreamAsync(new ChatRequest([ChatMessage.User("hi")])).GetAsyncEnumerator();
        for (int i = 0; i < WarmUp; i++)
            Assert.True(Next(updates));

        var windows = new List<long>();
        while (windows.Count < Windows && (windows.Count == 0 || windows[^1] != 0))
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Measured; i++)
                Assert.True(Next(updates));
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(windows[^1] == 0, $"every window of {Measured:N0} events allocated: {string.Join(", ", windows)} bytes");
        updates.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static bool Next(IAsyncEnumerator<ChatUpdate> updates)
    {
        ValueTask<bool> next = updates.MoveNextAsync();
        return next.IsCompletedSuccessfully ? next.Result : next.AsTask().GetAwaiter().GetResult();
    }
}
