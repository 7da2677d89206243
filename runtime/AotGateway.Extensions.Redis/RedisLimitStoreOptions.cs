using System;
using Microsoft.Extensions.Logging;

namespace AotGateway.Extensions.Redis;

/// <summary>Settings for a <see cref="RedisLimitStore"/>.</summary>
public sealed class RedisLimitStoreOptions
{
    /// <summary>The start of every key the store writes (<c>{prefix}:{scope|slug}:…</c>). Default <c>aotgw</c>.</summary>
    public string KeyPrefix { get; set; } = "aotgw";

    /// <summary>
    /// The longest one operation waits for Redis before the in-process state answers instead: what an outage can add
    /// to a call. Default 250 ms (a loopback round trip is well under a millisecond).
    /// </summary>
    public TimeSpan FallbackAfter { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>After a failure, how long operations go to the in-process state before Redis is tried again. Default 5 s.</summary>
    public TimeSpan RetryRedisAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the store says when it falls back and when Redis is back (never with the key). Default none.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>The clock for the bounds above. Default the system's.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(KeyPrefix) || KeyPrefix.Contains('{', StringComparison.Ordinal) || KeyPrefix.Contains('}', StringComparison.Ordinal))
            throw new ArgumentException("RedisLimitStoreOptions.KeyPrefix must be set and hold no braces (they mark a cluster hash tag).", nameof(KeyPrefix));
        if (FallbackAfter <= TimeSpan.Zero || FallbackAfter > TimeSpan.FromMinutes(1))
            throw new ArgumentOutOfRangeException(nameof(FallbackAfter), FallbackAfter, "RedisLimitStoreOptions.FallbackAfter must be more than zero and at most a minute.");
        if (RetryRedisAfter < TimeSpan.Zero || RetryRedisAfter > TimeSpan.FromHours(1))
            throw new ArgumentOutOfRangeException(nameof(RetryRedisAfter), RetryRedisAfter, "RedisLimitStoreOptions.RetryRedisAfter must be between zero and an hour.");
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
