using System;

namespace AotGateway;

/// <summary>The gateway or a server behind it failed (HTTP 5xx), or answered with a status this client does not otherwise classify.</summary>
public sealed class GatewayServerException : GatewayException
{
    /// <summary>Creates the exception, for tests of code that handles it; the client builds its own. Set the properties with an object initializer.</summary>
    public GatewayServerException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal GatewayServerException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
