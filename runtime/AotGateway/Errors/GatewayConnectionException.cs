using System;

namespace AotGateway;

/// <summary>The gateway could not be reached or the connection broke before a response arrived.</summary>
public sealed class GatewayConnectionException : GatewayException
{
    internal GatewayConnectionException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
