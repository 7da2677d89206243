using System;

namespace AotGateway;

/// <summary>The gateway rejected the request as invalid (HTTP 400 or 422).</summary>
public sealed class GatewayBadRequestException : GatewayException
{
    internal GatewayBadRequestException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
