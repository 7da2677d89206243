using System;

namespace AotGateway;

/// <summary>A store's answer to <see cref="GatewayLimitStore.AcquireAsync"/>.</summary>
public readonly record struct LimitDecision
{
    /// <summary>Whether the request may be sent now; its reservation is <see cref="Reservation"/>.</summary>
    public bool Granted { get; init; }

    /// <summary>The reservation to settle (null when nothing was reserved: no limit was set).</summary>
    public string? Reservation { get; init; }

    /// <summary>When not granted: the earliest moment it may be, or null when it never can (it is larger than a limit).</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>When not granted: whether a daily usage limit (not a rate limit) stands in the way.</summary>
    public bool IsUsageLimit { get; init; }

    /// <summary>When not granted: whether the gateway said so (a 429 another call met), rather than a limit set here.</summary>
    public bool FromGateway { get; init; }

    /// <summary>When not granted: which limit, in words, for the error message (never the key).</summary>
    public string? Reason { get; init; }

    /// <summary>Granted, with the reservation to settle.</summary>
    public static LimitDecision Grant(string? reservation) => new() { Granted = true, Reservation = reservation };

    /// <summary>Not before <paramref name="retryAt"/> (or never, when null).</summary>
    public static LimitDecision Deny(DateTimeOffset? retryAt, bool isUsageLimit, bool fromGateway, string reason) =>
        new() { RetryAt = retryAt, IsUsageLimit = isUsageLimit, FromGateway = fromGateway, Reason = reason };
}
