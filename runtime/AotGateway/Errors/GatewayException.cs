using System;

namespace AotGateway;

/// <summary>
/// The base of every error the gateway client raises. Carries the HTTP status (when there was one), the
/// gateway's error type, code and message, and the request id to quote when asking for support.
/// Messages never contain the API key.
/// </summary>
public class GatewayException : Exception
{
    internal GatewayException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = details.StatusCode;
        ErrorType = details.ErrorType;
        ErrorCode = details.ErrorCode;
        GatewayMessage = details.Message;
        RequestId = details.RequestId;
    }

    /// <summary>The HTTP status code, or <see langword="null"/> when no response was received.</summary>
    public int? StatusCode { get; }

    /// <summary>The error <c>type</c> from the gateway's error body, when it sent one.</summary>
    public string? ErrorType { get; }

    /// <summary>The error <c>code</c> from the gateway's error body, when it sent one.</summary>
    public string? ErrorCode { get; }

    /// <summary>The gateway's own error message, when it sent one (with any echo of the key removed).</summary>
    public string? GatewayMessage { get; }

    /// <summary>The request id the gateway assigned (<c>x-request-id</c>), when it sent one.</summary>
    public string? RequestId { get; }
}
