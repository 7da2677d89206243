using System;
using System.Net.Http;
using System.Threading;

namespace AotGateway.Http;

/// <summary>
/// A successful (2xx) response whose body has not been read yet, with the token that bounds reading it.
/// Disposing it releases the connection.
/// </summary>
internal sealed class GatewayResponse : IDisposable
{
    public GatewayResponse(HttpResponseMessage message, CancellationTokenSource limit, string? requestId, SecretRedactor redactor)
    {
        Message = message;
        Limit = limit;
        RequestId = requestId;
        Headers = new ResponseHeaderView(message.Headers, redactor);
    }

    /// <summary>The headers as a reply exposes them (read lazily; they stay readable after the message is disposed).</summary>
    public ResponseHeaderView Headers { get; }

    public HttpResponseMessage Message { get; }

    /// <summary>Linked to the caller's token; the transport arms it with the request timeout, a stream re-arms it with the idle timeout.</summary>
    public CancellationTokenSource Limit { get; }

    public string? RequestId { get; }

    /// <summary>The attempt's deadline no longer applies (a stream is bounded by its idle limit from here).</summary>
    public void EndDeadline() => Limit.Dispose();

    public void Dispose()
    {
        Message.Dispose();
        Limit.Dispose();
    }
}
