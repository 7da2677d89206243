using System;

namespace AotGateway;

/// <summary>What a 429 says about when to come back.</summary>
internal readonly record struct RateLimitInfo(TimeSpan? RetryAfter, bool IsUsageLimit, DateTimeOffset? ResetsAt);
