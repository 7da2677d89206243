using System;

namespace AotGateway;

/// <summary>The gateway's response could not be understood: not JSON, malformed, or too large.</summary>
public sealed class GatewayProtocolException : GatewayException
{
    /// <summary>Creates the exception, for tests of code that handles it; the client builds its own. Set the properties with an object initializer.</summary>
    public GatewayProtocolException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal GatewayProtocolException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
