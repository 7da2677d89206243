using System;

namespace AotGateway;

/// <summary>The gateway rejected the request as invalid (HTTP 400 or 422).</summary>
public sealed class GatewayBadRequestException : GatewayException
{
    /// <summary>Creates the exception, for tests of code that handles it; the client builds its own. Set the properties with an object initializer.</summary>
    public GatewayBadRequestException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal GatewayBadRequestException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
