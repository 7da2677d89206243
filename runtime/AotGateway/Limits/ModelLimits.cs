using System;

namespace AotGateway;

/// <summary>
/// The limits a lab set on one model slug for the group of keys a client's key belongs to, as the gateway's
/// documentation describes them: at most one request and one token rate limit (per second or per minute) and
/// optional daily usage limits (reset at UTC midnight). Given to <see cref="GatewayLimitOptions.Models"/>, they are
/// enforced before a request is sent, so the gateway never has to refuse one; leave a limit null when it is not set.
/// </summary>
public sealed record ModelLimits
{
    /// <summary>Requests per second.</summary>
    public int? RequestsPerSecond { get; init; }

    /// <summary>Requests per minute.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Tokens (prompt and completion) per second.</summary>
    public int? TokensPerSecond { get; init; }

    /// <summary>Tokens (prompt and completion) per minute.</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>Requests per UTC day.</summary>
    public int? RequestsPerDay { get; init; }

    /// <summary>Tokens per UTC day.</summary>
    public long? TokensPerDay { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a limit that is zero or negative.</summary>
    internal void Validate(string slug)
    {
        foreach ((long? value, string name) in (ReadOnlySpan<(long?, string)>)
        [
            (RequestsPerSecond, nameof(RequestsPerSecond)), (RequestsPerMinute, nameof(RequestsPerMinute)),
            (TokensPerSecond, nameof(TokensPerSecond)), (TokensPerMinute, nameof(TokensPerMinute)),
            (RequestsPerDay, nameof(RequestsPerDay)), (TokensPerDay, nameof(TokensPerDay)),
        ])
        {
            if (value is <= 0)
                throw new ArgumentOutOfRangeException(name, value, $"ModelLimits.{name} for '{slug}' must be positive (leave it null when the lab set none).");
        }
    }

    /// <summary>Whether any limit is set.</summary>
    internal bool Any => RequestsPerSecond is not null || RequestsPerMinute is not null || TokensPerSecond is not null
        || TokensPerMinute is not null || RequestsPerDay is not null || TokensPerDay is not null;
}
