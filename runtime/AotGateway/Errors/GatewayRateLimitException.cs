using System;

namespace AotGateway;

/// <summary>
/// The gateway answered 429 Too Many Requests. A rate limit (requests or tokens per second or minute) clears
/// within <see cref="RetryAfter"/>; a daily usage limit (<see cref="IsUsageLimit"/>) does not clear until its
/// window resets, so retrying sooner is pointless.
/// </summary>
public sealed class GatewayRateLimitException : GatewayException
{
    /// <summary>Creates the exception, for tests of code that handles it; the client builds its own. Set the properties with an object initializer.</summary>
    public GatewayRateLimitException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal GatewayRateLimitException(string message, GatewayErrorDetails details, RateLimitInfo info)
        : base(message, details)
    {
        RetryAfter = info.RetryAfter;
        IsUsageLimit = info.IsUsageLimit;
        ResetsAt = info.ResetsAt;
    }

    /// <summary>How long the gateway asked the client to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary><see langword="true"/> when this is a usage limit (e.g. tokens or requests per day) rather than a rate limit.</summary>
    public bool IsUsageLimit { get; init; }

    /// <summary>When the limit's window resets, when the gateway said.</summary>
    public DateTimeOffset? ResetsAt { get; init; }

    /// <summary>
    /// Whether the call reached the gateway. <see langword="false"/> when the client's shared limit state held it back
    /// (<see cref="GatewayLimitOptions"/>: a limit another call met, or one the lab set, clears later than the call may
    /// wait): nothing was sent, and nothing was billed.
    /// </summary>
    public bool WasSent { get; init; } = true;
}
