using System;

namespace AotGateway;

/// <summary>The gateway or a server behind it failed (HTTP 5xx), or answered with a status this client does not otherwise classify.</summary>
public sealed class GatewayServerException : GatewayException
{
    internal GatewayServerException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
