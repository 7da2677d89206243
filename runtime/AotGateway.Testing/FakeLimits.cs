using System;

namespace AotGateway.Testing;

/// <summary>
/// Limits on one model slug, counted per key, as the gateway sets them: a rate limit (requests or tokens per
/// window of a second or a minute) and optional daily usage limits.
/// </summary>
public sealed class FakeLimits
{
    /// <summary>The rate-limit window: one second or one minute.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests allowed per window.</summary>
    public int? RequestsPerWindow { get; init; }

    /// <summary>Tokens (prompt plus completion) allowed per window.</summary>
    public int? TokensPerWindow { get; init; }

    /// <summary>Requests allowed per UTC day.</summary>
    public int? RequestsPerDay { get; init; }

    /// <summary>Tokens allowed per UTC day.</summary>
    public int? TokensPerDay { get; init; }
}
