using System;

namespace AotGateway;

/// <summary>
/// An attempt took longer than allowed: <see cref="GatewayClientOptions.RequestTimeout"/> for the whole
/// exchange (or until a stream's headers), or <see cref="GatewayClientOptions.StreamIdleTimeout"/> between bytes
/// of a stream. Also raised for HTTP 408 when retries are exhausted.
/// </summary>
public sealed class GatewayTimeoutException : GatewayException
{
    /// <summary>Creates the exception, for tests of code that handles it; the client builds its own. Set the properties with an object initializer.</summary>
    public GatewayTimeoutException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal GatewayTimeoutException(string message, GatewayErrorDetails details, TimeSpan timeout, Exception? inner = null)
        : base(message, details, inner)
    {
        Timeout = timeout;
    }

    /// <summary>The limit that was exceeded.</summary>
    public TimeSpan Timeout { get; init; }
}
