using System;
using System.Globalization;
using System.Net.Http.Headers;

namespace AotGateway;

/// <summary>
/// The one place that reads a 429: how long to wait and whether it is a rate limit (clears in seconds) or a
/// daily usage limit (does not clear until its window resets). The gateway's documentation does not fix the
/// 429 body or headers, so this reads every common convention and keeps the guesses here, where they can
/// follow the gateway once its exact shape is known.
/// </summary>
internal static class RateLimitClassifier
{
    /// <summary>A wait longer than this cannot be a per-second or per-minute window: it is a usage limit.</summary>
    internal static readonly TimeSpan UsageLimitThreshold = TimeSpan.FromMinutes(5);

    // Words that identify a usage (quota) limit in an error type, code or message.
    private static readonly string[] s_usageLimitMarkers =
    [
        "usage_limit", "usage limit", "usage-limit", "daily", "per day", "/day", "quota",
    ];

    public static RateLimitInfo Classify(HttpResponseHeaders? headers, string? errorType, string? errorCode, string? message, DateTimeOffset now)
    {
        TimeSpan? retryAfter = headers is null ? null : ReadRetryAfter(headers, now);
        TimeSpan? reset = headers is null ? null : ReadRateLimitReset(headers);
        TimeSpan? wait = retryAfter ?? reset;

        bool usage = MentionsUsageLimit(errorType) || MentionsUsageLimit(errorCode) || MentionsUsageLimit(message)
            || (wait is { } w && w > UsageLimitThreshold);

        DateTimeOffset? resetsAt = wait is { } d ? now + d : null;
        return new RateLimitInfo(wait, usage, resetsAt);
    }

    private static bool MentionsUsageLimit(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return false;
        foreach (string marker in s_usageLimitMarkers)
        {
            if (text.Contains(marker, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary><c>retry-after-ms</c> (OpenAI's, more precise) wins over <c>Retry-After</c> (seconds or an HTTP date).</summary>
    internal static TimeSpan? ReadRetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (TryGetSingle(headers, "retry-after-ms", out string? ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double millis)
            && millis >= 0 && millis < TimeSpan.MaxValue.TotalMilliseconds)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        if (TryGetSingle(headers, "Retry-After", out string? value))
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
                return seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date))
                return date > now ? date - now : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>
    /// The time until the exhausted <c>x-ratelimit-*</c> window resets. Reset values are durations such as
    /// <c>1s</c>, <c>6m0s</c> or <c>20ms</c> (OpenAI's convention) or plain seconds.
    /// </summary>
    internal static TimeSpan? ReadRateLimitReset(HttpResponseHeaders headers)
    {
        TimeSpan? requests = ReadReset(headers, "requests");
        TimeSpan? tokens = ReadReset(headers, "tokens");
        if (requests is null)
            return tokens;
        if (tokens is null)
            return requests;
        return requests > tokens ? requests : tokens;
    }

    private static TimeSpan? ReadReset(HttpResponseHeaders headers, string kind)
    {
        if (TryGetSingle(headers, "x-ratelimit-remaining-" + kind, out string? remaining) && remaining.Trim() != "0")
            return null;
        return TryGetSingle(headers, "x-ratelimit-reset-" + kind, out string? value) ? ParseDuration(value) : null;
    }

    /// <summary>Parses <c>1h2m3.5s</c>, <c>20ms</c>, <c>6m0s</c>, or a bare number of seconds.</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.IsEmpty)
            return null;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double bare))
            return bare >= 0 && bare < 1e9 ? TimeSpan.FromSeconds(bare) : null;

        double totalMs = 0;
        while (!s.IsEmpty)
        {
            int digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
                digits++;
            if (digits == 0 || !double.TryParse(s[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                return null;
            s = s[digits..];
            double unitMs;
            if (s.StartsWith("ms")) { unitMs = 1; s = s[2..]; }
            else if (s.StartsWith("h")) { unitMs = 3_600_000; s = s[1..]; }
            else if (s.StartsWith("m")) { unitMs = 60_000; s = s[1..]; }
            else if (s.StartsWith("s")) { unitMs = 1000; s = s[1..]; }
            else return null;
            totalMs += number * unitMs;
        }
        return totalMs < 1e12 ? TimeSpan.FromMilliseconds(totalMs) : null;
    }

    internal static bool TryGetSingle(HttpResponseHeaders headers, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        if (headers.NonValidated.TryGetValues(name, out HeaderStringValues values))
        {
            foreach (string v in values)
            {
                value = v;
                return true;
            }
        }
        value = null;
        return false;
    }
}
