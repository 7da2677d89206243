using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;

namespace AotGateway.Testing;

/// <summary>
/// An emulation of the Baseten Frontier Gateway's Chat Completions endpoint with its rules: <c>Api-Key</c>
/// auth (Bearer refused), keys allowed per model slug, unknown slugs 404, request, token and daily usage
/// limits answered with 429 and <c>Retry-After</c>, deterministic streamed and non-streamed replies, tool calls
/// built from the request's tool schemas, and structured output valid against the requested schema.
/// Serve it in-process with <see cref="CreateHandler"/> or over loopback sockets with <see cref="LoopbackGatewayServer"/>.
/// </summary>
public sealed class FakeGateway
{
    /// <summary>The key <see cref="CreateDefault"/> accepts.</summary>
    public const string DefaultKey = "fake-gateway-key";

    /// <summary>A plain chat model <see cref="CreateDefault"/> serves.</summary>
    public const string DefaultModel = "fake/echo-1";

    /// <summary>A reasoning model <see cref="CreateDefault"/> serves (its replies carry <c>reasoning_content</c>).</summary>
    public const string ReasoningModel = "fake/reasoner-1";

    private readonly object _gate = new();
    private readonly Dictionary<string, bool> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeLimits> _limits = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Slug), FakeLimits> _groupLimits = [];
    private readonly Dictionary<string, string> _keyGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Parent, FakeEnforcement Enforcement)> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Slug), LimitCounter> _counters = [];
    private readonly ConcurrentQueue<FakeReply> _scripted = new();
    private readonly Queue<FakeHttpRequest> _requests = new();
    private int _requestNumber;

    /// <summary>Creates an empty gateway: add models and keys before use.</summary>
    public FakeGateway(TimeProvider? timeProvider = null)
    {
        Time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A gateway with <see cref="DefaultKey"/> allowed to use <see cref="DefaultModel"/> and <see cref="ReasoningModel"/>.</summary>
    public static FakeGateway CreateDefault(TimeProvider? timeProvider = null) =>
        new FakeGateway(timeProvider)
            .AddModel(DefaultModel)
            .AddModel(ReasoningModel, reasoning: true)
            .AddKey(DefaultKey, DefaultModel, ReasoningModel);

    /// <summary>The clock for limit windows and <c>created</c> timestamps.</summary>
    public TimeProvider Time { get; }

    /// <summary>How many streamed chunks go between keep-alive comments (0: none). Default 4.</summary>
    public int KeepAliveEvery { get; set; } = 4;

    /// <summary>How many characters of tool-call arguments, or of a long run of text without spaces (a structured reply's JSON), go in one streamed fragment. Default 8.</summary>
    public int ArgumentFragmentLength { get; set; } = 8;

    /// <summary>
    /// The requests received, in arrival order: the last <see cref="RequestLogCapacity"/> of them (a long-running test
    /// or load run would otherwise keep every body it was ever sent). <see cref="RequestCount"/> counts them all.
    /// </summary>
    public IReadOnlyList<FakeHttpRequest> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    /// <summary>How many requests <see cref="Requests"/> keeps, oldest dropped first. Default 1,000.</summary>
    public int RequestLogCapacity
    {
        get => _requestLogCapacity;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _requestLogCapacity = value;
        }
    }

    private int _requestLogCapacity = 1000;

    /// <summary>Every request received since the gateway was made, logged or not.</summary>
    public int RequestCount => System.Threading.Volatile.Read(ref _requestNumber);

    /// <summary>Serves <paramref name="slug"/>; a reasoning model adds reasoning text to its replies.</summary>
    public FakeGateway AddModel(string slug, bool reasoning = false)
    {
        lock (_gate)
            _models[slug] = reasoning;
        return this;
    }

    /// <summary>Accepts <paramref name="key"/> for the listed slugs.</summary>
    public FakeGateway AddKey(string key, params string[] allowedSlugs)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(key, out HashSet<string>? slugs))
                _keys[key] = slugs = new HashSet<string>(StringComparer.Ordinal);
            slugs.UnionWith(allowedSlugs);
        }
        return this;
    }

    /// <summary>
    /// Sets the limits of <paramref name="slug"/> for every group that has none of its own (a key added without a
    /// group is a group of its own, so these count per key).
    /// </summary>
    public FakeGateway SetLimits(string slug, FakeLimits limits)
    {
        lock (_gate)
            _limits[slug] = limits;
        return this;
    }

    /// <summary>Sets the limits of <paramref name="slug"/> for <paramref name="group"/>'s pool, which all its keys share.</summary>
    public FakeGateway SetLimits(string slug, FakeLimits limits, string group)
    {
        lock (_gate)
        {
            RequireGroup(group);
            _groupLimits[(group, slug)] = limits;
        }
        return this;
    }

    /// <summary>
    /// Adds a group of keys, under <paramref name="parent"/> when given (groups nest up to five levels). A
    /// <see cref="FakeEnforcement.Cascading"/> group's pool also counts every request of its descendants.
    /// </summary>
    public FakeGateway AddGroup(string name, string? parent = null, FakeEnforcement enforcement = FakeEnforcement.Independent)
    {
        lock (_gate)
        {
            if (parent is not null)
            {
                RequireGroup(parent);
                int depth = 1;
                for (string? at = parent; at is not null; at = _groups[at].Parent)
                    depth++;
                if (depth > 5)
                    throw new ArgumentException($"Groups nest at most five levels; '{name}' would be the sixth.", nameof(parent));
            }
            _groups[name] = (parent, enforcement);
        }
        return this;
    }

    /// <summary>Accepts <paramref name="key"/> for the listed slugs as a key of <paramref name="group"/>, which counts its requests.</summary>
    public FakeGateway AddGroupKey(string group, string key, params string[] allowedSlugs)
    {
        lock (_gate)
        {
            RequireGroup(group);
            _keyGroups[key] = group;
        }
        return AddKey(key, allowedSlugs);
    }

    /// <summary>
    /// Shapes the 429 for a refused request (the real gateway's body and headers are not documented). Default: an
    /// OpenAI-style error body naming the limit, <c>Retry-After</c> until the window ends.
    /// </summary>
    public Func<FakeLimitBreach, FakeReply>? LimitReply { get; set; }

    private void RequireGroup(string group)
    {
        if (!_groups.ContainsKey(group))
            throw new ArgumentException($"There is no group '{group}': add it with AddGroup first.", nameof(group));
    }

    /// <summary>Queues a reply to send for the next request instead of emulating, whatever that request is.</summary>
    public FakeGateway Enqueue(FakeReply reply)
    {
        _scripted.Enqueue(reply);
        return this;
    }

    /// <summary>An <see cref="HttpMessageHandler"/> serving this gateway in-process, without sockets.</summary>
    public HttpMessageHandler CreateHandler() => new FakeGatewayHandler(this);

    /// <summary>Answers one request by the gateway's rules.</summary>
    public FakeReply Handle(FakeHttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // One number per request, taken once: concurrent requests never share a request id or a completion id.
        string number = System.Threading.Interlocked.Increment(ref _requestNumber).ToString(CultureInfo.InvariantCulture);
        lock (_requests)
        {
            _requests.Enqueue(request);
            while (_requests.Count > _requestLogCapacity)
                _requests.Dequeue();
        }
        string requestId = "req_fake_" + number;
        if (_scripted.TryDequeue(out FakeReply? scripted))
            return scripted;

        if (!request.Path.EndsWith("/chat/completions", StringComparison.Ordinal))
            return FakeReply.Error(404, $"Unknown path '{request.Path}'. The gateway serves POST /v1/chat/completions.", "not_found_error", "unknown_path");
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
            return FakeReply.Error(405, "Use POST for /chat/completions.", "invalid_request_error", "method_not_allowed");

        if (Authenticate(request.Header("Authorization")) is { } authFailure)
            return authFailure;
        string key = request.Header("Authorization")!["Api-Key ".Length..].Trim();

        ParsedRequest parsed;
        try
        {
            parsed = ParsedRequest.Parse(request.Body);
        }
        catch (JsonException ex)
        {
            return FakeReply.Error(400, $"The request body is not valid JSON: {ex.Message}", "invalid_request_error", "invalid_json");
        }
        catch (FormatException ex)
        {
            return FakeReply.Error(400, ex.Message, "invalid_request_error", "invalid_request");
        }

        bool reasoning;
        lock (_gate)
        {
            if (!_models.TryGetValue(parsed.Model, out reasoning))
                return FakeReply.Error(404, $"The model '{parsed.Model}' does not exist.", "not_found_error", "model_not_found");
            if (!_keys[key].Contains(parsed.Model))
                return FakeReply.Error(403, $"This API key is not authorized for the model '{parsed.Model}'.", "permission_error", "model_not_authorized");
        }

        FakeCompletion completion = FakeCompletion.Generate(parsed, reasoning);
        if (CheckLimits(key, parsed.Model, completion.PromptTokens + completion.CompletionTokens, out KeyValuePair<string, string>[] limitHeaders) is { } limited)
            return limited;

        var headers = new List<KeyValuePair<string, string>>(limitHeaders) { new("x-request-id", requestId) };
        long created = Time.GetUtcNow().ToUnixTimeSeconds();
        string id = "chatcmpl-fake-" + number;
        return parsed.Stream
            ? new FakeReply(200, "text/event-stream", FakeStreamWriter.Write(completion, parsed, id, created, KeepAliveEvery, ArgumentFragmentLength), headers)
            : new FakeReply(200, "application/json", [FakeCompletionWriter.Write(completion, parsed, id, created)], headers);
    }

    private FakeReply? Authenticate(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
            return FakeReply.Error(401, "Missing Authorization header. Send 'Authorization: Api-Key <your key>'.", "authentication_error", "missing_api_key");
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return FakeReply.Error(401, "Bearer tokens are not accepted. Send 'Authorization: Api-Key <your key>'.", "authentication_error", "invalid_auth_scheme");
        if (!authorization.StartsWith("Api-Key ", StringComparison.Ordinal))
            return FakeReply.Error(401, "Unsupported authorization scheme. Send 'Authorization: Api-Key <your key>'.", "authentication_error", "invalid_auth_scheme");
        string key = authorization["Api-Key ".Length..].Trim();
        lock (_gate)
        {
            if (!_keys.ContainsKey(key))
                return FakeReply.Error(401, "Invalid API key.", "authentication_error", "invalid_api_key");
        }
        return null;
    }

    /// <summary>
    /// Counts a request against every pool it draws on (its key's group, and each cascading ancestor) or refuses it
    /// with the first pool that has no room; a refused request counts nowhere.
    /// </summary>
    private FakeReply? CheckLimits(string key, string slug, int tokens, out KeyValuePair<string, string>[] headers)
    {
        headers = [];
        lock (_gate)
        {
            if (_limits.Count == 0 && _groupLimits.Count == 0)
                return null;
            DateTimeOffset now = Time.GetUtcNow();
            var pools = new List<(string Group, FakeLimits Limits, LimitCounter Counter)>();
            string own = _keyGroups.TryGetValue(key, out string? named) ? named : "key:" + key;
            for (string? group = own; group is not null; group = _groups.TryGetValue(group, out var g) ? g.Parent : null)
            {
                bool counts = group == own || _groups[group].Enforcement == FakeEnforcement.Cascading;
                FakeLimits? limits = _groupLimits.TryGetValue((group, slug), out FakeLimits? set) ? set : group == own && _limits.TryGetValue(slug, out FakeLimits? shared) ? shared : null;
                if (!counts || limits is null)
                    continue;
                if (!_counters.TryGetValue((group, slug), out LimitCounter? counter))
                    _counters[(group, slug)] = counter = new LimitCounter();
                counter.Roll(now, limits.Window);
                if (Breach(group, slug, limits, counter, now) is { } breach)
                    return (LimitReply ?? DefaultLimitReply)(breach);
                pools.Add((group, limits, counter));
            }
            foreach ((_, FakeLimits limits, LimitCounter counter) in pools)
            {
                counter.WindowRequests++;
                counter.WindowTokens += tokens;
                counter.DayRequests++;
                counter.DayTokens += tokens;
            }
            if (pools.Count > 0 && pools[0].Limits.RequestsPerWindow is { } limit)
            {
                LimitCounter counter = pools[0].Counter;
                TimeSpan untilWindowEnds = counter.WindowStart + pools[0].Limits.Window - now;
                headers =
                [
                    new("x-ratelimit-limit-requests", limit.ToString(CultureInfo.InvariantCulture)),
                    new("x-ratelimit-remaining-requests", Math.Max(0, limit - counter.WindowRequests).ToString(CultureInfo.InvariantCulture)),
                    new("x-ratelimit-reset-requests", ((int)Math.Ceiling(untilWindowEnds.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s"),
                ];
            }
            return null;
        }
    }

    private static FakeLimitBreach? Breach(string group, string slug, FakeLimits limits, LimitCounter counter, DateTimeOffset now)
    {
        // A key's own group is named for the key in messages, never by it.
        string shown = group.StartsWith("key:", StringComparison.Ordinal) ? "this key" : group;
        TimeSpan untilDayEnds = now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime;
        if (limits.RequestsPerDay is { } rpd && counter.DayRequests >= rpd)
            return new FakeLimitBreach(shown, slug, "requests", TimeSpan.FromDays(1), rpd, untilDayEnds, IsUsageLimit: true);
        if (limits.TokensPerDay is { } tpd && counter.DayTokens >= tpd)
            return new FakeLimitBreach(shown, slug, "tokens", TimeSpan.FromDays(1), tpd, untilDayEnds, IsUsageLimit: true);
        TimeSpan untilWindowEnds = counter.WindowStart + limits.Window - now;
        if (limits.RequestsPerWindow is { } rpw && counter.WindowRequests >= rpw)
            return new FakeLimitBreach(shown, slug, "requests", limits.Window, rpw, untilWindowEnds, IsUsageLimit: false);
        if (limits.TokensPerWindow is { } tpw && counter.WindowTokens >= tpw)
            return new FakeLimitBreach(shown, slug, "tokens", limits.Window, tpw, untilWindowEnds, IsUsageLimit: false);
        return null;
    }

    private static FakeReply DefaultLimitReply(FakeLimitBreach breach)
    {
        if (breach.IsUsageLimit)
        {
            return FakeReply.Error(429, $"Daily usage limit of {breach.Limit} {breach.Counted} per day reached for model '{breach.Slug}'. It resets at 00:00 UTC.",
                "usage_limit_exceeded", "daily_usage_limit_exceeded", RetryAfter(breach.RetryAfter));
        }
        string unit = breach.Window <= TimeSpan.FromSeconds(1) ? "second" : "minute";
        return FakeReply.Error(429, $"Rate limit of {breach.Limit} {breach.Counted} per {unit} exceeded for model '{breach.Slug}'.", "rate_limit_exceeded", "rate_limit_exceeded",
            RetryAfter(breach.RetryAfter));
    }

    private static KeyValuePair<string, string> RetryAfter(TimeSpan wait) =>
        new("Retry-After", Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture));

    private sealed class LimitCounter
    {
        public DateTimeOffset WindowStart;
        public DateTime Day;
        public int WindowRequests;
        public long WindowTokens;
        public int DayRequests;
        public long DayTokens;

        public void Roll(DateTimeOffset now, TimeSpan window)
        {
            if (now - WindowStart >= window)
            {
                // Windows are aligned to the clock, as fixed windows are.
                long ticks = now.UtcTicks - (now.UtcTicks % window.Ticks);
                WindowStart = new DateTimeOffset(ticks, TimeSpan.Zero);
                WindowRequests = 0;
                WindowTokens = 0;
            }
            if (now.UtcDateTime.Date != Day)
            {
                Day = now.UtcDateTime.Date;
                DayRequests = 0;
                DayTokens = 0;
            }
        }
    }
}
