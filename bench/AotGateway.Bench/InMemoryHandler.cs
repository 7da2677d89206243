using System.Net;

namespace AotGateway.Bench;

/// <summary>Answers every request with the same event-stream bytes: the network taken out of the measurement.</summary>
public sealed class InMemoryHandler(byte[] body) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StreamContent(new MemoryStream(body, writable: false)),
        };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
        return Task.FromResult(response);
    }
}
