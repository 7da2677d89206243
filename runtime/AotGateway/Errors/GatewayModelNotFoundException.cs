using System;

namespace AotGateway;

/// <summary>The gateway does not know the requested model slug, or the path (HTTP 404).</summary>
public sealed class GatewayModelNotFoundException : GatewayException
{
    /// <summary>Creates the exception, for tests of code that handles it; the client builds its own. Set the properties with an object initializer.</summary>
    public GatewayModelNotFoundException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal GatewayModelNotFoundException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
