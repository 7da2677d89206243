using System;

namespace AotGateway.Testing;

/// <summary>
/// A request the fake refuses for a limit, given to <see cref="FakeGateway.LimitReply"/> to shape the 429 (the real
/// gateway's body and headers are not documented, so tests try several).
/// </summary>
/// <param name="Group">The group whose pool ran out (a key without a group is its own, named <c>key:…</c> with the key hidden).</param>
/// <param name="Slug">The model slug.</param>
/// <param name="Counted">What ran out: <c>requests</c> or <c>tokens</c>.</param>
/// <param name="Window">The window: one second, one minute, or a UTC day.</param>
/// <param name="Limit">The limit that was reached.</param>
/// <param name="RetryAfter">Until the window ends (for a day, UTC midnight).</param>
/// <param name="IsUsageLimit">Whether it is a daily usage limit rather than a rate limit.</param>
public sealed record FakeLimitBreach(string Group, string Slug, string Counted, TimeSpan Window, long Limit, TimeSpan RetryAfter, bool IsUsageLimit);
