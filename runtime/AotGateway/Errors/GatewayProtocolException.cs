using System;

namespace AotGateway;

/// <summary>The gateway's response could not be understood: not JSON, malformed, or too large.</summary>
public sealed class GatewayProtocolException : GatewayException
{
    internal GatewayProtocolException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
