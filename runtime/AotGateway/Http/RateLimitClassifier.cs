using System;
using System.Globalization;
using System.Net.Http.Headers;
using AotGateway.Http;

namespace AotGateway;

/// <summary>
/// The one place that reads a 429: how long to wait, and whether it is a rate limit (clears within seconds or
/// minutes: retried) or a usage limit (a daily, monthly or spending allowance: not retried until it resets).
/// OpenAI-compatible servers do not agree on a shape, so the evidence is read in order of how much it can be
/// trusted, and the first rule that decides wins:
/// <list type="table">
///   <listheader><term>rule</term><description>what is read → verdict</description></listheader>
///   <item><term>1. error code or type</term><description>one of <see cref="s_usageCodes"/> (e.g. <c>insufficient_quota</c>) → usage</description></item>
///   <item><term>1b. a window the code names</term><description><c>tokens_per_day_limit_exceeded</c>, <c>requestsPerMinute</c> → usage / rate</description></item>
///   <item><term>2. window headers</term><description><c>x-ratelimit-remaining-{requests|tokens}-day</c> = 0 → usage; <c>-minute</c>/<c>-second</c>/<c>-hour</c> = 0 → rate</description></item>
///   <item><term>3. message words</term><description>whole words, with URLs and the model slug removed: a long window (<c>per day</c>, <c>daily</c>, <c>today</c>, <c>RPD</c>, <c>TPD</c>, <c>24h</c>, <c>monthly</c>, <c>spend limit</c>, …) → usage; a short one (<c>per minute</c>, <c>RPM</c>, <c>TPM</c>, <c>per second</c>, <c>per hour</c>, …) → rate</description></item>
///   <item><term>4. wait</term><description><c>retry-after-ms</c>, <c>Retry-After</c> or <c>x-ratelimit-reset-*</c> longer than <see cref="UsageLimitThreshold"/> → usage; any shorter wait → rate</description></item>
///   <item><term>5. quota</term><description>no wait given and the message says <c>quota</c> → usage; otherwise → rate</description></item>
/// </list>
/// The code, type and words never come from URLs or model names: <c>acme/daily-digest-8b</c> (the request's slug or
/// any other the message names), a name after the word "model", or a docs link with <c>quota</c> in it says nothing about
/// the limit.
/// </summary>
internal static class RateLimitClassifier
{
    /// <summary>A wait longer than this cannot be a per-second or per-minute window: it is a usage limit.</summary>
    internal static readonly TimeSpan UsageLimitThreshold = TimeSpan.FromMinutes(5);

    // Error codes and types that name an allowance, not a rate (compared whole, ignoring case).
    private static readonly string[] s_usageCodes =
    [
        "insufficient_quota", "usage_limit", "usage_limit_exceeded", "usage_limit_reached", "daily_limit_exceeded",
        "daily_limit", "quota_exceeded", "billing_hard_limit_reached", "spend_limit_exceeded", "budget_exceeded",
    ];

    // Word sequences that name a window outright (after lowercasing and splitting on non-letters/digits).
    private static readonly string[][] s_longWindows =
    [
        ["per", "day"], ["rpd"], ["tpd"], ["24h"], ["24", "hour"], ["24", "hours"], ["per", "month"], ["per", "week"],
    ];

    private static readonly string[][] s_shortWindows =
    [
        ["per", "minute"], ["per", "min"], ["rpm"], ["tpm"], ["per", "second"], ["per", "sec"], ["rps"], ["tps"],
        ["per", "hour"], ["rph"], ["tph"], ["this", "minute"],
    ];

    // Words that suggest a window or an allowance but also turn up in passing ("upgrade today"): read only
    // when no window is named outright.
    private static readonly string[][] s_longHints =
    [
        ["daily"], ["today"], ["tomorrow"], ["a", "day"], ["each", "day"], ["monthly"], ["weekly"],
        ["spend", "limit"], ["spending", "limit"], ["budget"], ["usage", "limit"],
    ];

    private static readonly char[] s_wordBreaks =
    [
        ' ', '\t', '\r', '\n', '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '"', '\'', '`', '-', '_', '/', '\\', '=',
        '*', '<', '>', '|', '+', '&', '#', '@', '%', '~',
    ];

    private static readonly string[][] s_shortHints = [["a", "minute"], ["concurrent"], ["concurrency"]];

    public static RateLimitInfo Classify(HttpResponseHeaders? headers, string? errorType, string? errorCode, string? message, string? model, DateTimeOffset now)
    {
        TimeSpan? retryAfter = headers is null ? null : RetryRules.ReadServerWait(headers, now);
        TimeSpan? reset = headers is null ? null : ReadRateLimitReset(headers);
        TimeSpan? wait = retryAfter ?? reset ?? WaitInMessage(message);
        bool usage = IsUsageLimit(headers, errorType, errorCode, message, model, wait);
        DateTimeOffset? resetsAt = wait is { } d ? RetryRules.After(now, d) : null;
        return new RateLimitInfo(wait, usage, resetsAt);
    }

    private static bool IsUsageLimit(HttpResponseHeaders? headers, string? errorType, string? errorCode, string? message, string? model, TimeSpan? wait)
    {
        if (IsUsageCode(errorCode) || IsUsageCode(errorType))
            return true;
        if ((WindowInCode(errorCode) ?? WindowInCode(errorType)) is { } fromCode)
            return fromCode;
        if (headers is not null && WindowHeaders(headers) is { } fromHeaders)
            return fromHeaders;
        string[] words = Words(message, model);
        if (WindowNamed(words) is { } named)
            return named;
        if (ContainsAny(words, s_shortHints))
            return false;
        if (wait is { } w)
            return w > UsageLimitThreshold;
        return Array.IndexOf(words, "quota") >= 0;
    }

    private static bool IsUsageCode(string? code)
    {
        if (string.IsNullOrEmpty(code))
            return false;
        foreach (string usage in s_usageCodes)
        {
            if (code.Trim().Equals(usage, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>
    /// A window a code names in its own words (<c>tokens_per_day_limit_exceeded</c>, <c>requestsPerMinute</c>,
    /// <c>daily-token-limit</c>): split on underscores, hyphens, dots and case changes, then read like a message.
    /// </summary>
    private static bool? WindowInCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return null;
        return WindowNamed(CodeWords(code));
    }

    /// <summary>A long window (usage: true) or a short one (rate: false) named outright, else a long one hinted at.</summary>
    private static bool? WindowNamed(string[] words)
    {
        if (ContainsAny(words, s_longWindows))
            return true;
        if (ContainsAny(words, s_shortWindows))
            return false;
        if (ContainsAny(words, s_longHints))
            return true;
        return null;
    }

    internal static string[] CodeWords(string code)
    {
        var spaced = new System.Text.StringBuilder(code.Length + 8);
        for (int i = 0; i < code.Length; i++)
        {
            char c = code[i];
            // A lower-case letter or digit followed by a capital starts a word: "tokensPerDay" -> "tokens Per Day".
            if (i > 0 && char.IsUpper(c) && (char.IsLower(code[i - 1]) || char.IsDigit(code[i - 1])))
                spaced.Append(' ');
            spaced.Append(c);
        }
        return spaced.ToString().ToLowerInvariant().Split(s_wordBreaks, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Per-window remaining counts (Cerebras and others): an exhausted daily window is a usage limit.</summary>
    private static bool? WindowHeaders(HttpResponseHeaders headers)
    {
        foreach (string kind in (ReadOnlySpan<string>)["requests", "tokens"])
        {
            if (IsExhausted(headers, $"x-ratelimit-remaining-{kind}-day"))
                return true;
        }
        foreach (string kind in (ReadOnlySpan<string>)["requests", "tokens"])
        {
            foreach (string window in (ReadOnlySpan<string>)["minute", "second", "hour"])
            {
                if (IsExhausted(headers, $"x-ratelimit-remaining-{kind}-{window}"))
                    return false;
            }
        }
        return null;
    }

    private static bool IsExhausted(HttpResponseHeaders headers, string name) =>
        HeaderValues.TryGetSingle(headers, name, out string? value)
        && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double remaining)
        && remaining <= 0;

    /// <summary>
    /// A wait the message names, as OpenAI, Groq, Azure and Gemini write it: "try again in 11.455s",
    /// "try again in 9m38.016s", "retry after 45 seconds", "retry in 38.86s". Used only when no header says.
    /// </summary>
    internal static TimeSpan? WaitInMessage(string? message)
    {
        if (string.IsNullOrEmpty(message))
            return null;
        foreach (string lead in (ReadOnlySpan<string>)["try again in ", "retry in ", "retry after ", "try again after "])
        {
            int at = message.IndexOf(lead, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
                continue;
            ReadOnlySpan<char> rest = message.AsSpan(at + lead.Length);
            int end = 0;
            while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
                end++;
            ReadOnlySpan<char> amount = rest[..end].TrimEnd(".,;)");
            ReadOnlySpan<char> unit = rest[end..].TrimStart();
            if (double.TryParse(amount, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            {
                if (unit.StartsWith("second", StringComparison.OrdinalIgnoreCase))
                    return RetryRules.FromMilliseconds(number * 1000);
                if (unit.StartsWith("minute", StringComparison.OrdinalIgnoreCase))
                    return RetryRules.FromMilliseconds(number * 60_000);
                return null;
            }
            if (ParseDuration(amount.ToString()) is { } duration)
                return duration;
        }
        return null;
    }

    /// <summary>
    /// The message's words, lowercased, split on anything that is not a letter or digit, after removing URLs
    /// and the model slug (whole, and its name after the slash), so neither can pass for a window.
    /// </summary>
    internal static string[] Words(string? message, string? model)
    {
        if (string.IsNullOrEmpty(message))
            return [];
        string text = message;
        if (!string.IsNullOrEmpty(model))
        {
            text = text.Replace(model, " ", StringComparison.OrdinalIgnoreCase);
            int slash = model.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && slash < model.Length - 1)
                text = text.Replace(model[(slash + 1)..], " ", StringComparison.OrdinalIgnoreCase);
        }
        text = RemoveNames(RemoveUrls(text));
        return text.ToLowerInvariant().Split(s_wordBreaks, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Removes what names a model rather than a limit: any token with a slash in it (another slug than the request's,
    /// as a gateway that falls back or routes writes it) and the token after the word <c>model</c>
    /// ("for model daily-digest-8b"), so <c>daily</c> in a name never reads as a window.
    /// </summary>
    private static string RemoveNames(string text)
    {
        string[] tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        bool afterModel = false;
        for (int i = 0; i < tokens.Length; i++)
        {
            string token = tokens[i];
            bool isModelWord = token.Trim(s_wordBreaks).Equals("model", StringComparison.OrdinalIgnoreCase);
            if ((afterModel && LooksLikeName(token)) || token.Contains('/'))
                tokens[i] = "";
            afterModel = isModelWord;
        }
        return string.Join(' ', tokens);
    }

    // "daily-digest-8b", "`fast`", "llama3.1": quoted, or with a digit or a joiner no window word has.
    private static bool LooksLikeName(string token) => token.AsSpan().IndexOfAny(s_nameMarks) >= 0;

    private static readonly System.Buffers.SearchValues<char> s_nameMarks = System.Buffers.SearchValues.Create("`'\"-_.:0123456789");

    private static string RemoveUrls(string text)
    {
        while (true)
        {
            int start = text.IndexOf("://", StringComparison.Ordinal);
            if (start < 0)
                return text;
            // Back to the start of the scheme, forward to the next white space.
            int from = start;
            while (from > 0 && char.IsAsciiLetter(text[from - 1]))
                from--;
            int to = start + 3;
            while (to < text.Length && !char.IsWhiteSpace(text[to]))
                to++;
            text = string.Concat(text.AsSpan(0, from), " ", text.AsSpan(to));
        }
    }

    private static bool ContainsAny(string[] words, string[][] phrases)
    {
        foreach (string[] phrase in phrases)
        {
            for (int i = 0; i + phrase.Length <= words.Length; i++)
            {
                int matched = 0;
                while (matched < phrase.Length && words[i + matched] == phrase[matched])
                    matched++;
                if (matched == phrase.Length)
                    return true;
            }
        }
        return false;
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
        if (HeaderValues.TryGetSingle(headers, "x-ratelimit-remaining-" + kind, out string? remaining) && remaining.Trim() != "0")
            return null;
        return HeaderValues.TryGetSingle(headers, "x-ratelimit-reset-" + kind, out string? value) ? ParseDuration(value) : null;
    }

    /// <summary>Parses <c>1h2m3.5s</c>, <c>20ms</c>, <c>6m0s</c>, or a bare number of seconds; saturates at <see cref="RetryRules.LongestServerWait"/>.</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.IsEmpty)
            return null;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double bare))
            return RetryRules.FromMilliseconds(bare * 1000);

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
        return RetryRules.FromMilliseconds(totalMs);
    }
}
