using System;

namespace AotGateway;

/// <summary>
/// When and how a failed attempt is retried. Only failures before the response starts are retried:
/// connection failures, 408, 409, 429 (rate limits, never daily usage limits) and 5xx.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>A policy that never retries.</summary>
    public static RetryPolicy None => new() { MaxRetries = 0 };

    /// <summary>Retries after the first attempt. Default 2, like the official OpenAI SDKs.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first backoff delay; each retry doubles it. Default 0.5 s.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The cap on a computed backoff delay. Default 8 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// The longest server-requested wait (<c>retry-after-ms</c>, <c>Retry-After</c>, or a 429's reset headers) the
    /// client will sleep through, for every retried status (408, 409, 429, 5xx). A response asking for more is
    /// raised at once, its message saying what was asked, instead of being waited out. Default 60 s.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The fraction (0 to 1) of each backoff delay that is randomised so clients do not retry in step. Default 0.25.</summary>
    public double Jitter { get; set; } = 0.25;

    /// <summary>The most a delay may be set to: well inside what a timer accepts (~49 days).</summary>
    internal static readonly TimeSpan LongestDelay = TimeSpan.FromDays(1);

    internal RetryPolicy Copy() => (RetryPolicy)MemberwiseClone();

    internal void Validate()
    {
        if (MaxRetries < 0 || MaxRetries > 20)
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "RetryPolicy.MaxRetries must be between 0 and 20.");
        if (InitialDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(InitialDelay), "RetryPolicy delays must not be negative.");
        if (InitialDelay > LongestDelay || MaxDelay > LongestDelay || MaxRetryAfter > LongestDelay)
            throw new ArgumentOutOfRangeException(nameof(MaxRetryAfter), "RetryPolicy delays must be at most one day: a client that waits longer is better off failing and being asked again.");
        if (Jitter < 0 || Jitter > 1 || double.IsNaN(Jitter))
            throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "RetryPolicy.Jitter must be between 0 and 1.");
    }

    /// <summary>The backoff before retry number <paramref name="retry"/> (1-based) when the server named no delay.</summary>
    internal TimeSpan BackoffFor(int retry, double random01)
    {
        double baseMs = InitialDelay.TotalMilliseconds * Math.Pow(2, retry - 1);
        baseMs = Math.Min(baseMs, MaxDelay.TotalMilliseconds);
        // Jitter subtracts up to Jitter*delay so the cap stays a cap.
        double ms = baseMs * (1 - Jitter * random01);
        // Pow overflows to infinity after enough retries times a large InitialDelay; the cap above already bounds it.
        return double.IsFinite(ms) ? TimeSpan.FromMilliseconds(ms) : MaxDelay;
    }
}
