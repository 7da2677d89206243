using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Testing;

/// <summary>Serves a <see cref="FakeGateway"/> in-process: no sockets, same rules and faults.</summary>
internal sealed class FakeGatewayHandler : HttpMessageHandler
{
    private readonly FakeGateway _gateway;

    public FakeGatewayHandler(FakeGateway gateway)
    {
        _gateway = gateway;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers)
            headers[header.Key] = string.Join(", ", header.Value);
        byte[] body = [];
        if (request.Content is not null)
        {
            foreach (KeyValuePair<string, IEnumerable<string>> header in request.Content.Headers)
                headers[header.Key] = string.Join(", ", header.Value);
            body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        FakeReply reply = _gateway.Handle(new FakeHttpRequest(request.Method.Method, request.RequestUri?.AbsolutePath ?? "/", headers, body));
        switch (reply.Fault.Kind)
        {
            case FakeFaultKind.ResetBeforeHeaders:
                throw new HttpRequestException("The fake gateway reset the connection before responding.", new System.IO.IOException("Connection reset."));
            case FakeFaultKind.StallBeforeHeaders:
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                break;
        }

        DeliveryPlan plan = DeliveryPlan.For(reply);
        var response = new HttpResponseMessage((HttpStatusCode)reply.Status)
        {
            RequestMessage = request,
            Content = new StreamContent(new PlannedBodyStream(plan.Writes, plan.Ending)),
        };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", reply.ContentType);
        foreach (KeyValuePair<string, string> header in reply.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(header.Key, header.Value))
                response.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return response;
    }
}
