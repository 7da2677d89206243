using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Infrastructure;

namespace AotGateway.Http;

/// <summary>
/// Sends one request body to the chat completions endpoint with the gateway's headers, and retries what
/// may be retried before a response starts: connection failures, timeouts, 408, 409, 429 (not usage limits)
/// and 5xx — bounded, with exponential backoff and jitter, honouring the server's Retry-After.
/// </summary>
internal sealed class GatewayTransport : IDisposable
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly ResolvedOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SecretRedactor _redactor;

    public GatewayTransport(ResolvedOptions options)
    {
        _options = options;
        _redactor = new SecretRedactor(options.ApiKey);
        Gate = new LimitGate(options.Limits, options.ApiKey, options.Time);
        if (options.HttpClient is { } client)
        {
            _http = client;
        }
        else
        {
            HttpMessageHandler handler = options.Handler ?? CreateDefaultHandler();
            _http = new HttpClient(handler, disposeHandler: options.Handler is null) { Timeout = Timeout.InfiniteTimeSpan };
            _ownsHttp = true;
        }
    }

    public Uri Endpoint => _options.Endpoint;

    public ResolvedOptions Options => _options;

    public string Host => _options.Host;

    public TimeProvider Time => _options.Time;

    /// <summary>The limits every attempt passes (shared with the other clients and replicas of the key group).</summary>
    public LimitGate Gate { get; }

    /// <summary>Cleans the key out of any text from outside this call produces.</summary>
    public SecretRedactor Redactor => _redactor;

    /// <summary>Replaced in tests to make jitter deterministic.</summary>
    internal Func<double> Random01 { get; set; } = Random.Shared.NextDouble;

    internal static SocketsHttpHandler CreateDefaultHandler()
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            // Never follow redirects: the key must not travel to a host the user did not name.
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            // A reply given up mid-stream (a cancelled call, a caller gone) closes its connection at once. By default
            // the handler would drain it for up to 2 s to reuse the connection, while the model went on generating
            // tokens nobody reads (AbandonedStreamTests: open 2,032 ms after the stream was left, without this).
            MaxResponseDrainSize = 0,
            // Servers cap the streams of one HTTP/2 connection (often at 100): past that, requests would queue behind
            // streams that last as long as a model talks (measured: 1,000 streams took 15 s on one connection, 1.7 s on ten).
            EnableMultipleHttp2Connections = true,
        };
        // Only when the switch is on is the setter called at all: that is what lets NativeAOT drop the codecs.
        if (FeatureSwitches.IsDecompressionSupported)
            handler.AutomaticDecompression = DecompressionMethods.All;
        return handler;
    }

    /// <summary>What failure messages of this call name.</summary>
    public FailureMap.Context Context(int attempt, int? status = null, string? requestId = null) => new(Host, attempt, _redactor, status, requestId);

    /// <summary>
    /// Sends <paramref name="body"/>; returns a 2xx response with its body unread (holding the limit ticket the caller
    /// settles with the reply's usage), or throws the typed error. Each attempt passes the limit gate first, which
    /// reserves <paramref name="tokens"/> (<see cref="LimitGate.Estimate"/>) for it.
    /// </summary>
    public async Task<GatewayResponse> SendAsync(ReadOnlyMemory<byte> body, string model, bool stream, long tokens, CancellationToken ct)
    {
        TimeProvider time = _options.Time;
        long started = time.GetTimestamp();
        int attempt = 0;
        TimeSpan retryWait = TimeSpan.Zero;
        while (true)
        {
            attempt++;
            ct.ThrowIfCancellationRequested();
            LimitTicket? ticket = null;
            if (Gate.IsActive)
            {
                TimeSpan left = Remaining(started);
                ticket = await Gate.EnterAsync(model, tokens, left == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : left, retryWait, ct).ConfigureAwait(false);
            }
            (GatewayResponse? Ok, Failure Failure) outcome;
            try
            {
                outcome = await AttemptAsync(body, model, stream, attempt, started, ticket, ct).ConfigureAwait(false);
            }
            catch when (ticket is { } abandoned)
            {
                // The caller's cancellation: the attempt was not served.
                Gate.Answered(abandoned, served: false);
                await Gate.SettleAsync(abandoned, served: false, null).ConfigureAwait(false);
                throw;
            }
            if (outcome.Ok is { } ok)
                return ok;
            Failure failure = outcome.Failure;
            if (ticket is { } refused)
            {
                Gate.Answered(refused, served: false);
                if (failure.Exception is GatewayRateLimitException rateLimit)
                    await Gate.ReportAsync(model, new RateLimitInfo(rateLimit.RetryAfter, rateLimit.IsUsageLimit, rateLimit.ResetsAt)).ConfigureAwait(false);
                await Gate.SettleAsync(refused, served: false, null).ConfigureAwait(false);
            }

            RetryRules.Verdict verdict = RetryRules.Decide(failure, attempt, _options.Retry, Remaining(started), Random01());
            if (!verdict.Retry)
            {
                if (verdict.Note is { } note)
                    failure.Exception.AddNote(note);
                throw failure.Exception;
            }

            CallTelemetry.RecordRetry(attempt, failure.Exception.GetType().Name, verdict.Delay);
            // A 429's wait is the limit gate's to keep when it shares the gateway's word (it holds every call, this one too).
            bool gateWaits = Gate.SharesGatewayLimits && failure.Exception is GatewayRateLimitException;
            retryWait = gateWaits ? verdict.Delay + TimeSpan.FromSeconds(1) : TimeSpan.Zero;
            if (verdict.Delay > TimeSpan.Zero && !gateWaits)
                await Task.Delay(verdict.Delay, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One attempt: a 2xx response with its body unread, or the failure (the caller's cancellation is thrown).</summary>
    private async Task<(GatewayResponse? Ok, Failure Failure)> AttemptAsync(
        ReadOnlyMemory<byte> body, string model, bool stream, int attempt, long started, LimitTicket? ticket, CancellationToken ct)
    {
        TimeLimit limit = AttemptLimit(started, out TimeSpan wait);
        var deadline = new Deadline(wait, _options.Time, ct);
        HttpResponseMessage? response = null;
        try
        {
            try
            {
                using HttpRequestMessage request = CreateRequest(body, stream);
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!FailureMap.IsCallerCancellation(ex, ct))
            {
                // Whatever the pipeline raised, the caller's cancellation aside: one map says what it is.
                return (null, FailureMap.FromException(ex, CallPhase.Send, limit, Context(attempt)));
            }
            if (response.IsSuccessStatusCode)
            {
                if (ticket is { } granted)
                    Gate.Answered(granted, served: true);
                var ok = new GatewayResponse(response, deadline, limit, _redactor.Redact(GatewayErrorFactory.ReadRequestId(response.Headers)), _redactor, ticket);
                response = null;
                deadline = null;
                return (ok, default);
            }
            return (null, await ReadFailureAsync(response, model, attempt, limit, deadline.Token, ct).ConfigureAwait(false));
        }
        finally
        {
            response?.Dispose();
            deadline?.Dispose();
        }
    }

    /// <summary>What bounds the next attempt, and how long it may wait: RequestTimeout, or what is left of CallTimeout when that is sooner.</summary>
    private TimeLimit AttemptLimit(long started, out TimeSpan wait)
    {
        TimeSpan remaining = Remaining(started);
        TimeSpan request = _options.RequestTimeout;
        if (remaining != Timeout.InfiniteTimeSpan && (request == Timeout.InfiniteTimeSpan || remaining < request))
        {
            wait = remaining;
            return new TimeLimit(_options.CallTimeout, nameof(GatewayClientOptions.CallTimeout));
        }
        wait = request;
        return new TimeLimit(request, nameof(GatewayClientOptions.RequestTimeout));
    }

    /// <summary>Time left before the call's deadline, or infinite when there is none.</summary>
    private TimeSpan Remaining(long started)
    {
        TimeSpan call = _options.CallTimeout;
        if (call == Timeout.InfiniteTimeSpan)
            return Timeout.InfiniteTimeSpan;
        TimeSpan left = call - _options.Time.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private HttpRequestMessage CreateRequest(ReadOnlyMemory<byte> body, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new ReadOnlyMemoryContent(body),
            Version = _options.HttpVersion,
            VersionPolicy = _options.HttpVersionPolicy,
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", _options.Authorization);
        request.Headers.TryAddWithoutValidation("Accept", stream ? "text/event-stream" : "application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", LibraryInfo.UserAgent);
        foreach (KeyValuePair<string, string> header in _options.ExtraHeaders)
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return request;
    }

    /// <summary>A response that is not 2xx, read into its typed error; its status stands even when its body cannot be read.</summary>
    private async Task<Failure> ReadFailureAsync(HttpResponseMessage response, string model, int attempt, TimeLimit limit, CancellationToken deadline, CancellationToken ct)
    {
        int status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            string? requestId = GatewayErrorFactory.ReadRequestId(response.Headers);
            string location = HeaderValues.TryGetSingle(response.Headers, "Location", out string? target) ? target : "(no Location)";
            return new Failure(new GatewayBadRequestException(
                $"The gateway at {Host} answered {status} redirecting to '{location}'. The client does not follow redirects, so the key is never sent to another host: set BaseUrl to the final address.",
                new GatewayErrorDetails(status, null, null, null, requestId, _redactor)), Retriable: false);
        }
        PooledBufferWriter? body = null;
        string? unread = null;
        try
        {
            try
            {
                (body, _) = await ResponseBody.ReadAsync(response.Content, MaxErrorBodyBytes, deadline).ConfigureAwait(false);
            }
            catch (Exception ex) when (!FailureMap.IsCallerCancellation(ex, ct))
            {
                // The status is what matters: a body that stalls, breaks or does not decode still leaves its typed error.
                unread = ex is OperationCanceledException
                    ? $"Its error body did not arrive within GatewayClientOptions.{limit.Option} ({FailureMap.Seconds(limit.Value)})."
                    : "Its error body could not be read.";
            }
            ReadOnlySpan<byte> bytes = body is null ? default : body.WrittenSpan[..Math.Min(body.WrittenCount, MaxErrorBodyBytes)];
            var call = new GatewayErrorFactory.CallContext(model, Host, _options.ApiKey, attempt, _redactor);
            GatewayException failure = GatewayErrorFactory.FromResponse(
                status, response.Headers, response.Content.Headers.ContentType?.MediaType, bytes, call, _options.Time.GetUtcNow());
            if (unread is not null)
                failure.AddNote(unread);
            TimeSpan? serverWait = failure is GatewayRateLimitException rateLimit
                ? rateLimit.RetryAfter
                : RetryRules.ReadServerWait(response.Headers, _options.Time.GetUtcNow());
            return new Failure(failure, FailureMap.IsRetriable(failure), serverWait);
        }
        finally
        {
            body?.Dispose();
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }
}
