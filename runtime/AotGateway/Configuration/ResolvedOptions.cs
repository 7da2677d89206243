using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;

namespace AotGateway;

/// <summary>
/// <see cref="GatewayClientOptions"/> checked and frozen, made in one place (<see cref="From"/>): every part of the
/// client reads these, so a setting changed on the options after the client was made changes nothing, and a bad one
/// fails before any request with the same message wherever it is checked (the client, DI's start-up validation).
/// </summary>
internal sealed class ResolvedOptions
{
    private ResolvedOptions(GatewayClientOptions options)
    {
        Endpoint = EndpointRules.ChatCompletionsUri(options.BaseUrl, options.AllowInsecureHttp);
        ApiKey = options.ApiKey;
        Authorization = EndpointRules.AuthorizationValue(options.ApiKey);
        if (options.DefaultModel is { } model && !ModelSlug.IsValid(model))
            throw new ArgumentException($"'{model}' is not a model slug: the gateway expects 'org/model', for example 'acme/llama-3-70b'.", nameof(options));
        DefaultModel = options.DefaultModel;

        RequestTimeout = Positive(options.RequestTimeout, "RequestTimeout must be positive (or Timeout.InfiniteTimeSpan).");
        CallTimeout = Positive(options.CallTimeout, "CallTimeout must be positive (or Timeout.InfiniteTimeSpan).");
        StreamIdleTimeout = Positive(options.StreamIdleTimeout, "StreamIdleTimeout must be positive (or Timeout.InfiniteTimeSpan).");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxResponseBytes, 1024, nameof(options.MaxResponseBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEventBytes, 1024, nameof(options.MaxEventBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxStreamedBytes, 1024, nameof(options.MaxStreamedBytes));
        MaxResponseBytes = options.MaxResponseBytes;
        MaxEventBytes = options.MaxEventBytes;
        MaxStreamedBytes = options.MaxStreamedBytes;

        RetryPolicy retry = options.Retry ?? throw new ArgumentNullException(nameof(options), "GatewayClientOptions.Retry must not be null.");
        retry.Validate();
        Retry = retry.Copy();

        EndpointRules.ValidateExtraHeaders(options.ExtraHeaders);
        // CopyTo rather than a collection expression, whose general path brings LINQ's array builder into NativeAOT binaries.
        ExtraHeaders = new KeyValuePair<string, string>[options.ExtraHeaders.Count];
        options.ExtraHeaders.CopyTo(ExtraHeaders, 0);

        HttpVersion = options.HttpVersion ?? throw new ArgumentNullException(nameof(options), "GatewayClientOptions.HttpVersion must not be null.");
        HttpVersionPolicy = options.HttpVersionPolicy;
        Time = options.TimeProvider ?? throw new ArgumentNullException(nameof(options), "GatewayClientOptions.TimeProvider must not be null.");
        GatewayLimitOptions limits = options.Limits ?? throw new ArgumentNullException(nameof(options), "GatewayClientOptions.Limits must not be null.");
        limits.Validate();
        Limits = limits.Copy();
        foreach (KeyValuePair<string, IList<string>> fallback in options.ModelFallbacks)
        {
            if (!ModelSlug.IsValid(fallback.Key) || fallback.Value is null)
                throw new ArgumentException($"ModelFallbacks['{fallback.Key}'] must map a model slug to a list of slugs.", nameof(options));
            var chain = new string[fallback.Value.Count];
            for (int i = 0; i < chain.Length; i++)
            {
                chain[i] = fallback.Value[i];
                if (!ModelSlug.IsValid(chain[i]))
                    throw new ArgumentException($"'{chain[i]}' in ModelFallbacks['{fallback.Key}'] is not a model slug ('org/model').", nameof(options));
            }
            ModelFallbacks[fallback.Key] = chain;
        }
        if (options.ProviderName is { } provider && string.IsNullOrWhiteSpace(provider))
            throw new ArgumentException("ProviderName must not be empty: leave it null for the name the endpoint implies.", nameof(options));
        ProviderName = options.ProviderName ?? EndpointRules.ProviderOf(Endpoint);
        KeepRawJson = options.KeepRawJson;
        Handler = options.Handler;
        HttpClient = options.HttpClient;
    }

    /// <summary>Checks <paramref name="options"/> and freezes them; throws <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static ResolvedOptions From(GatewayClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ResolvedOptions(options);
    }

    public Uri Endpoint { get; }

    public string Host => Endpoint.Authority;

    public string? ApiKey { get; }

    /// <summary>The <c>Authorization</c> header's value: <c>Api-Key &lt;key&gt;</c>.</summary>
    public string Authorization { get; }

    public string? DefaultModel { get; }

    public TimeSpan RequestTimeout { get; }

    public TimeSpan CallTimeout { get; }

    public TimeSpan StreamIdleTimeout { get; }

    public int MaxResponseBytes { get; }

    public int MaxEventBytes { get; }

    /// <summary>The one budget of a streamed reply: the stream's and every accumulator the library makes for it.</summary>
    public int MaxStreamedBytes { get; }

    /// <summary>A copy of the policy, which the caller's instance can no longer change.</summary>
    public RetryPolicy Retry { get; }

    public KeyValuePair<string, string>[] ExtraHeaders { get; }

    public Version HttpVersion { get; }

    public HttpVersionPolicy HttpVersionPolicy { get; }

    /// <summary>The one clock: deadlines, the idle limit, retry waits, telemetry durations.</summary>
    public TimeProvider Time { get; }

    public bool KeepRawJson { get; }

    /// <summary>What telemetry calls the provider (<c>gen_ai.provider.name</c>).</summary>
    public string ProviderName { get; }

    /// <summary>A copy of the limit options, which the caller's instance can no longer change.</summary>
    public GatewayLimitOptions Limits { get; }

    /// <summary>Per slug, the slugs to try next, in order.</summary>
    public Dictionary<string, string[]> ModelFallbacks { get; } = new(StringComparer.Ordinal);

    /// <summary>The slugs to try after <paramref name="model"/>, in order (none when it has no fallbacks).</summary>
    public string[] FallbacksOf(string model) => ModelFallbacks.TryGetValue(model, out string[]? chain) ? chain : [];

    public HttpMessageHandler? Handler { get; }

    public HttpClient? HttpClient { get; }

    private static TimeSpan Positive(TimeSpan value, string message) =>
        value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(message[..message.IndexOf(' ', StringComparison.Ordinal)], value, "GatewayClientOptions." + message);
}
