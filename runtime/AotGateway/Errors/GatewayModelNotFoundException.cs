using System;

namespace AotGateway;

/// <summary>The gateway does not know the requested model slug, or the path (HTTP 404).</summary>
public sealed class GatewayModelNotFoundException : GatewayException
{
    internal GatewayModelNotFoundException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
