using System;
using System.Collections.Generic;
using System.Net.Http;

namespace AotGateway;

/// <summary>
/// Settings for a <see cref="GatewayClient"/>. Checked and copied when the client is created (<see cref="Validate"/>
/// checks them the same way): changing them afterwards does not change a client already made.
/// </summary>
public sealed class GatewayClientOptions
{
    /// <summary>The Baseten Frontier Gateway's public endpoint.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://inference.baseten.co/v1");

    /// <summary>
    /// The API root, e.g. <c>https://inference.baseten.co/v1</c> or a lab's branded URL. Requests go to
    /// <c>{BaseUrl}/chat/completions</c>. Plain <c>http://</c> is accepted only for loopback hosts unless
    /// <see cref="AllowInsecureHttp"/> is set.
    /// </summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The API key, sent as <c>Authorization: Api-Key &lt;key&gt;</c>. Never logged or shown.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model slug (<c>org/model</c>) used when a request does not name one.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>
    /// How long one attempt may take: the whole exchange for a non-streamed call, until the response
    /// headers for a streamed one. Default 10 minutes.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The longest a whole call may take across every attempt and every wait between attempts: until the reply
    /// has been read for a non-streamed call, until the stream starts for a streamed one (after that,
    /// <see cref="StreamIdleTimeout"/> bounds it). Each attempt is still bounded by <see cref="RequestTimeout"/>;
    /// a retry that could not finish in time is not started. Default <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>: no deadline beyond
    /// <see cref="RequestTimeout"/> times the attempts plus the waits.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>How long a streamed response may go without sending a byte before it is abandoned. Default 2 minutes.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Which failures are retried, how often and how long to wait between attempts.</summary>
    public RetryPolicy Retry { get; set; } = new();

    /// <summary>Extra headers sent with every request (for example routing hints). <c>Authorization</c> is not allowed here.</summary>
    public IDictionary<string, string> ExtraHeaders { get; private set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Allows <c>http://</c> base URLs to non-loopback hosts. The key then crosses the network unencrypted.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>The largest non-streamed response body accepted, in bytes. Default 64 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// The most a streamed reply may carry, summed over its choices: content, reasoning, refusals, tool names and
    /// arguments, and log probabilities (their JSON), as UTF-8. Past it the stream ends with
    /// <see cref="GatewayStreamException"/> (<see cref="GatewayStreamFailure.LimitExceeded"/>), so neither the
    /// stream nor <see cref="ChatStream.ToCompletionAsync"/> holds more. Default 16 MiB, some four million tokens.
    /// </summary>
    public int MaxStreamedBytes { get; set; } = DefaultMaxStreamedBytes;

    internal const int DefaultMaxStreamedBytes = 16 * 1024 * 1024;

    /// <summary>The largest single server-sent event accepted, in bytes. Default 16 MiB.</summary>
    public int MaxEventBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Whether non-streamed replies keep their JSON in <see cref="ChatCompletion.RawJson"/> (a copy of the body per
    /// call), for vendor fields this client does not model. Default off.
    /// </summary>
    public bool KeepRawJson { get; set; }

    /// <summary>
    /// A handler to send requests through (a test double, a proxy-aware handler). The client does not dispose it.
    /// When neither this nor <see cref="HttpClient"/> is set, the client owns a pooled <see cref="SocketsHttpHandler"/>.
    /// </summary>
    public HttpMessageHandler? Handler { get; set; }

    /// <summary>An existing <see cref="System.Net.Http.HttpClient"/> to use (e.g. from IHttpClientFactory). The client does not dispose it.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>
    /// The HTTP version requests ask for. Default HTTP/2: many streams share a few TLS connections instead of one
    /// connection and handshake each (measured in bench/README.md: at 1,000 concurrent streams, first chunks in 41 ms
    /// at the median against 1.75 s over HTTP/1.1). With the default <see cref="HttpVersionPolicy"/> a server that does
    /// not speak it (an HTTP/1.1-only proxy, plain http) is answered in the version it does speak.
    /// </summary>
    public Version HttpVersion { get; set; } = System.Net.HttpVersion.Version20;

    /// <summary>How strictly <see cref="HttpVersion"/> applies. Default <see cref="System.Net.Http.HttpVersionPolicy.RequestVersionOrLower"/>.</summary>
    public HttpVersionPolicy HttpVersionPolicy { get; set; } = HttpVersionPolicy.RequestVersionOrLower;

    /// <summary>
    /// What this client shares of the gateway's limits with other calls of its key group (and, through a shared
    /// store, other replicas): a 429 one call met holds the others until it clears, and limits the lab set
    /// (<see cref="GatewayLimitOptions.Models"/>) are kept before sending. On by default, in this process.
    /// </summary>
    public GatewayLimitOptions Limits { get; set; } = new();

    /// <summary>
    /// Slugs to try, in order, when a model cannot answer: its daily usage limit is spent, the key may not call it
    /// (403, 404), or it fails with 5xx after the retries. Keyed by the slug a request names; a stream falls back only
    /// before its first byte. The reply (<see cref="ChatCompletion.ModelSlug"/>, <see cref="ChatStream.ModelSlug"/>) and
    /// telemetry say which slug answered.
    /// </summary>
    public IDictionary<string, IList<string>> ModelFallbacks { get; private set; } = new Dictionary<string, IList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// The <c>gen_ai.provider.name</c> that telemetry reports, here and in the <c>IChatClient</c>'s metadata. Default:
    /// <c>baseten</c> for Baseten's hosts (<c>baseten.co</c> and its subdomains), otherwise the endpoint's host name (a
    /// branded domain or another OpenAI-compatible server is not Baseten). Set it to the name your dashboards use.
    /// </summary>
    public string? ProviderName { get; set; }

    /// <summary>The clock for every deadline, the idle limit, retry waits and limit windows. Tests replace it to run without waiting.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Checks the options as a client would when created (URL, key, slug, headers, timeouts, limits, retry policy),
    /// without creating one.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message says which and why.</exception>
    public void Validate() => _ = ResolvedOptions.From(this);

    /// <summary>
    /// A copy of every setting (the headers and the retry policy copied too, the handler, HTTP client and clock
    /// shared): for a second client that differs in one setting, as the DI package makes one per HTTP client.
    /// </summary>
    public GatewayClientOptions Clone()
    {
        var copy = (GatewayClientOptions)MemberwiseClone();
        copy.ExtraHeaders = new Dictionary<string, string>(ExtraHeaders, StringComparer.OrdinalIgnoreCase);
        copy.Retry = Retry?.Copy()!;
        copy.Limits = Limits?.Copy()!;
        copy.ModelFallbacks = new Dictionary<string, IList<string>>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, IList<string>> fallback in ModelFallbacks)
            copy.ModelFallbacks[fallback.Key] = fallback.Value is null ? null! : new List<string>(fallback.Value);
        return copy;
    }

    /// <summary>Returns a description that never includes the key.</summary>
    public override string ToString() =>
        $"GatewayClientOptions {{ BaseUrl = {BaseUrl}, DefaultModel = {DefaultModel ?? "(none)"}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "(set)")} }}";
}
