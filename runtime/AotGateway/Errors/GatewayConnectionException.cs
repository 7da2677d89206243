using System;

namespace AotGateway;

/// <summary>The gateway could not be reached or the connection broke before a response arrived.</summary>
public sealed class GatewayConnectionException : GatewayException
{
    /// <summary>Creates the exception, for tests of code that handles it; the client builds its own. Set the properties with an object initializer.</summary>
    public GatewayConnectionException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal GatewayConnectionException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
