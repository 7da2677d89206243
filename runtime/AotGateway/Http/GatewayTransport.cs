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

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _authorization;
    private readonly string? _apiKey;
    private readonly KeyValuePair<string, string>[] _extraHeaders;
    private readonly RetryPolicy _retry;
    private readonly TimeProvider _time;
    private readonly TimeSpan _requestTimeout;
    private readonly TimeSpan _callTimeout;
    private readonly SecretRedactor _redactor;
    private readonly Version _httpVersion;
    private readonly HttpVersionPolicy _httpVersionPolicy;

    public GatewayTransport(GatewayClientOptions options)
    {
        Endpoint = EndpointRules.ChatCompletionsUri(options.BaseUrl, options.AllowInsecureHttp);
        _authorization = EndpointRules.AuthorizationValue(options.ApiKey);
        _apiKey = options.ApiKey;
        _redactor = new SecretRedactor(options.ApiKey);
        _httpVersion = options.HttpVersion ?? throw new ArgumentNullException(nameof(options), "GatewayClientOptions.HttpVersion must not be null.");
        _httpVersionPolicy = options.HttpVersionPolicy;
        EndpointRules.ValidateExtraHeaders(options.ExtraHeaders);
        // CopyTo rather than a collection expression, whose general path brings LINQ's array builder into NativeAOT binaries.
        _extraHeaders = new KeyValuePair<string, string>[options.ExtraHeaders.Count];
        options.ExtraHeaders.CopyTo(_extraHeaders, 0);
        _retry = options.Retry ?? throw new ArgumentNullException(nameof(options), "GatewayClientOptions.Retry must not be null.");
        _retry.Validate();
        _retry = new RetryPolicy
        {
            MaxRetries = _retry.MaxRetries,
            InitialDelay = _retry.InitialDelay,
            MaxDelay = _retry.MaxDelay,
            MaxRetryAfter = _retry.MaxRetryAfter,
            Jitter = _retry.Jitter,
        };
        _time = options.TimeProvider ?? TimeProvider.System;
        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), "GatewayClientOptions.RequestTimeout must be positive.");
        _requestTimeout = options.RequestTimeout;
        if (options.CallTimeout <= TimeSpan.Zero && options.CallTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), "GatewayClientOptions.CallTimeout must be positive (or Timeout.InfiniteTimeSpan).");
        _callTimeout = options.CallTimeout;

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

    public Uri Endpoint { get; }

    public string Host => Endpoint.Authority;

    public TimeProvider Time => _time;

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

    /// <summary>Sends <paramref name="body"/>; returns a 2xx response with its body unread, or throws the typed error.</summary>
    public async Task<GatewayResponse> SendAsync(ReadOnlyMemory<byte> body, string model, bool stream, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        int attempt = 0;
        while (true)
        {
            attempt++;
            ct.ThrowIfCancellationRequested();
            TimeSpan remaining = Remaining(started);
            bool deadlineBound = remaining != Timeout.InfiniteTimeSpan && (_requestTimeout == Timeout.InfiniteTimeSpan || remaining < _requestTimeout);
            TimeSpan attemptLimit = deadlineBound ? remaining : _requestTimeout;
            var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (attemptLimit != Timeout.InfiniteTimeSpan)
                limit.CancelAfter(attemptLimit);
            HttpResponseMessage? response = null;
            GatewayException failure;
            TimeSpan? serverWait = null;
            try
            {
                using HttpRequestMessage request = CreateRequest(body, stream);
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    var ok = new GatewayResponse(response, limit, _redactor.Redact(GatewayErrorFactory.ReadRequestId(response.Headers)), _redactor);
                    response = null;
                    return ok;
                }

                failure = await ReadFailureAsync(response, model, attempt, limit.Token).ConfigureAwait(false);
                serverWait = failure is GatewayRateLimitException rateLimit
                    ? rateLimit.RetryAfter
                    : RetryRules.ReadServerWait(response.Headers, _time.GetUtcNow());
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                response?.Dispose();
                limit.Dispose();
                throw;
            }
            catch (OperationCanceledException ex)
            {
                failure = deadlineBound
                    ? new GatewayTimeoutException(
                        $"No response from {Host} within GatewayClientOptions.CallTimeout ({Seconds(_callTimeout)}) over {attempt} attempt(s).",
                        GatewayErrorDetails.None(_redactor), _callTimeout, ex)
                    : new GatewayTimeoutException(
                        $"No response from {Host} within {Seconds(_requestTimeout)} (attempt {attempt}). Raise GatewayClientOptions.RequestTimeout for long generations.",
                        GatewayErrorDetails.None(_redactor), _requestTimeout, ex);
            }
            catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.ConfigurationLimitExceeded)
            {
                // The server answered, but not with HTTP this client can read (a bad status line, headers past the
                // handler's limit, endless interim responses): sending again would get the same answer.
                failure = new GatewayProtocolException(
                    $"The gateway at {Host} sent a malformed HTTP response: {ex.Message} (attempt {attempt}).",
                    GatewayErrorDetails.None(_redactor), ex);
            }
            catch (HttpRequestException ex) when (ex.StatusCode is null)
            {
                failure = new GatewayConnectionException(
                    $"Could not reach {Host}: {ex.Message} (attempt {attempt}). Check the base URL and the network.",
                    GatewayErrorDetails.None(_redactor), ex);
            }
            catch (IOException ex)
            {
                failure = new GatewayConnectionException(
                    $"The connection to {Host} broke before a response arrived: {ex.Message} (attempt {attempt}).",
                    GatewayErrorDetails.None(_redactor), ex);
            }
            response?.Dispose();
            limit.Dispose();

            RetryRules.Verdict verdict = RetryRules.Decide(failure, attempt, serverWait, _retry, Remaining(started), Random01());
            if (!verdict.Retry)
            {
                if (verdict.Note is { } note)
                    failure.AddNote(note);
                throw failure;
            }

            CallTelemetry.RecordRetry(attempt, failure.GetType().Name, verdict.Delay);
            if (verdict.Delay > TimeSpan.Zero)
                await Task.Delay(verdict.Delay, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Time left before the call's deadline, or infinite when there is none.</summary>
    private TimeSpan Remaining(long started)
    {
        if (_callTimeout == Timeout.InfiniteTimeSpan)
            return Timeout.InfiniteTimeSpan;
        TimeSpan left = _callTimeout - Stopwatch.GetElapsedTime(started);
        return left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1);
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private HttpRequestMessage CreateRequest(ReadOnlyMemory<byte> body, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new ReadOnlyMemoryContent(body),
            Version = _httpVersion,
            VersionPolicy = _httpVersionPolicy,
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        request.Headers.TryAddWithoutValidation("Accept", stream ? "text/event-stream" : "application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", LibraryInfo.UserAgent);
        foreach (KeyValuePair<string, string> header in _extraHeaders)
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return request;
    }

    private async Task<GatewayException> ReadFailureAsync(HttpResponseMessage response, string model, int attempt, CancellationToken ct)
    {
        int status = (int)response.StatusCode;
        var call = new GatewayErrorFactory.CallContext(model, Host, _apiKey, attempt, _redactor);
        if (status is >= 300 and < 400)
        {
            string? requestId = GatewayErrorFactory.ReadRequestId(response.Headers);
            string location = HeaderValues.TryGetSingle(response.Headers, "Location", out string? target) ? target : "(no Location)";
            return new GatewayBadRequestException(
                $"The gateway at {Host} answered {status} redirecting to '{location}'. The client does not follow redirects, so the key is never sent to another host: set BaseUrl to the final address.",
                new GatewayErrorDetails(status, null, null, null, requestId, _redactor));
        }
        PooledBufferWriter? body = null;
        try
        {
            try
            {
                (body, _) = await ResponseBody.ReadAsync(response.Content, MaxErrorBodyBytes, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidDataException)
            {
                // The status is what matters; a body cut short or corrupt still leaves a typed error to report.
            }
            ReadOnlySpan<byte> bytes = body is null ? default : body.WrittenSpan[..Math.Min(body.WrittenCount, MaxErrorBodyBytes)];
            return GatewayErrorFactory.FromResponse(
                status, response.Headers, response.Content.Headers.ContentType?.MediaType, bytes, call, _time.GetUtcNow());
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
