using System;

namespace AotGateway;

/// <summary>The gateway refused the credentials (HTTP 401 or 403): the key is missing, wrong, sent with the wrong scheme, or not allowed to use the model.</summary>
public sealed class GatewayAuthenticationException : GatewayException
{
    internal GatewayAuthenticationException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(message, details, inner)
    {
    }
}
