using System;
using System.Globalization;
using System.Net.Http.Headers;

namespace AotGateway.Http;

/// <summary>
/// Every retry decision in one place: which failures are retried, which headers say how long to wait, how a
/// server's wait is bounded, and when the call's deadline forbids another attempt. Only failures before a
/// response starts ever reach here; a reply that has begun is never sent again.
/// </summary>
internal static class RetryRules
{
    /// <summary>
    /// Any server-requested wait is read as at most this long. Larger values (or ones past DateTime's range) are
    /// no less a "come back much later" and must not overflow date arithmetic or timers.
    /// </summary>
    public static readonly TimeSpan LongestServerWait = TimeSpan.FromDays(365);

    /// <summary>What to do after a failed attempt.</summary>
    /// <param name="Retry">Whether to send the request again.</param>
    /// <param name="Delay">How long to wait first.</param>
    /// <param name="Note">When a retriable failure is not retried, why (added to the exception's message).</param>
    public readonly record struct Verdict(bool Retry, TimeSpan Delay, string? Note);

    /// <summary>
    /// Decides whether attempt number <paramref name="attempt"/> (1-based), which failed with
    /// <paramref name="failure"/>, is followed by another, and after what wait.
    /// </summary>
    /// <param name="failure">What the attempt ended with, as <see cref="FailureMap"/> classified it (whether it may be retried, and the wait the response asked for).</param>
    /// <param name="attempt">The attempt's number, from 1.</param>
    /// <param name="policy">The client's retry settings.</param>
    /// <param name="random01">A random number in [0, 1) for jitter.</param>
    /// <param name="remaining">Time left before the call's deadline (<see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none).</param>
    public static Verdict Decide(Failure failure, int attempt, RetryPolicy policy, TimeSpan remaining, double random01)
    {
        if (!failure.Retriable)
            return default;
        if (attempt > policy.MaxRetries)
            return default;

        TimeSpan delay;
        if (failure.ServerWait is { } wait)
        {
            // One rule for every retried status: a wait longer than MaxRetryAfter is surfaced, never slept through.
            if (wait > policy.MaxRetryAfter)
                return new Verdict(false, TimeSpan.Zero,
                    $"The gateway asked to wait {Seconds(wait)}, longer than RetryPolicy.MaxRetryAfter ({Seconds(policy.MaxRetryAfter)}), so it was not retried.");
            delay = wait;
        }
        else
        {
            delay = policy.BackoffFor(attempt, random01);
        }

        if (remaining != System.Threading.Timeout.InfiniteTimeSpan && delay >= remaining)
            return new Verdict(false, TimeSpan.Zero,
                $"Another attempt after {Seconds(delay)} would pass GatewayClientOptions.CallTimeout, so it was not retried.");
        return new Verdict(true, delay, null);
    }

    /// <summary>
    /// The wait a response asks for: <c>retry-after-ms</c> (OpenAI's, more precise) wins over <c>Retry-After</c>
    /// (seconds or an HTTP date). Capped at <see cref="LongestServerWait"/>; unreadable or negative values are ignored.
    /// </summary>
    public static TimeSpan? ReadServerWait(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (HeaderValues.TryGetSingle(headers, "retry-after-ms", out string? ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double millis)
            && millis >= 0)
        {
            return FromMilliseconds(millis);
        }

        if (HeaderValues.TryGetSingle(headers, "Retry-After", out string? value))
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
                return seconds >= 0 ? FromMilliseconds(seconds * 1000) : null;
            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date))
                return date > now ? Cap(date - now) : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>A wait in milliseconds as a <see cref="TimeSpan"/>, saturating at <see cref="LongestServerWait"/> (NaN is no wait).</summary>
    public static TimeSpan? FromMilliseconds(double millis)
    {
        if (double.IsNaN(millis) || millis < 0)
            return null;
        return millis >= LongestServerWait.TotalMilliseconds ? LongestServerWait : TimeSpan.FromMilliseconds(millis);
    }

    /// <summary>Adds a wait to a moment without leaving DateTimeOffset's range.</summary>
    public static DateTimeOffset After(DateTimeOffset now, TimeSpan wait) =>
        DateTimeOffset.MaxValue - now <= wait ? DateTimeOffset.MaxValue : now + wait;

    private static TimeSpan Cap(TimeSpan wait) => wait > LongestServerWait ? LongestServerWait : wait;

    private static string Seconds(TimeSpan wait) => wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
