using System;

namespace AotGateway;

/// <summary>The gateway refused the credentials (HTTP 401 or 403): the key is missing, wrong, sent with the wrong scheme, or not allowed to use the model.</summary>
public sealed class GatewayAuthenticationException : GatewayException
{
    /// <summary>Creates the exception, for tests of code that handles it; the client builds its own. Set the properties with an object initializer.</summary>
    public GatewayAuthenticationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal GatewayAuthenticationException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
