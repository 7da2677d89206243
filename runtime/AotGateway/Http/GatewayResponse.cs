using System;
using System.Net.Http;
using System.Threading;
using AotGateway.Infrastructure;

namespace AotGateway.Http;

/// <summary>
/// A successful (2xx) response whose body has not been read yet, with the attempt's deadline that bounds reading it.
/// Disposing it releases the connection.
/// </summary>
internal sealed class GatewayResponse : IDisposable
{
    private readonly Deadline _deadline;

    public GatewayResponse(HttpResponseMessage message, Deadline deadline, TimeLimit limit, string? requestId, SecretRedactor redactor, LimitTicket? ticket)
    {
        Ticket = ticket;
        Message = message;
        _deadline = deadline;
        Limit = limit;
        RequestId = requestId;
        Headers = new ResponseHeaderView(message.Headers, redactor);
    }

    /// <summary>The headers as a reply exposes them (read lazily; they stay readable after the message is disposed).</summary>
    public ResponseHeaderView Headers { get; }

    public HttpResponseMessage Message { get; }

    /// <summary>Cancelled with the caller's token, or when the attempt's limit passes.</summary>
    public CancellationToken Deadline => _deadline.Token;

    /// <summary>The limit the deadline keeps, for the message when it passes.</summary>
    public TimeLimit Limit { get; }

    public string? RequestId { get; }

    /// <summary>The limit gate's ticket: the caller settles it with the reply's usage.</summary>
    public LimitTicket? Ticket { get; }

    /// <summary>The attempt's deadline no longer applies (a stream is bounded by its idle limit from here).</summary>
    public void EndDeadline() => _deadline.Dispose();

    public void Dispose()
    {
        Message.Dispose();
        _deadline.Dispose();
    }
}
