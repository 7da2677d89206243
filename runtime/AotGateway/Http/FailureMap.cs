using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;

namespace AotGateway.Http;

/// <summary>Where a call was when it failed: sending (before any response), reading a whole body, or reading a stream.</summary>
internal enum CallPhase
{
    Send,
    ReadBody,
    ReadStream,
}

/// <summary>A limit that was in force, for the message when it passes: its value and the option that sets it.</summary>
internal readonly record struct TimeLimit(TimeSpan Value, string Option);

/// <summary>A failure classified: the typed exception, whether another attempt may help, and the wait the server asked for.</summary>
internal readonly record struct Failure(GatewayException Exception, bool Retriable, TimeSpan? ServerWait = null);

/// <summary>
/// The one place that turns what broke into the library's typed errors and says whether it is worth another attempt
/// (<see cref="RetryRules"/> reads that answer, never its own). Every phase goes through it, so the same failure is the
/// same type with the same limit and status wherever it happens:
/// <list type="table">
///   <listheader><term>what broke</term><description>sending / reading a body / reading a stream</description></listheader>
///   <item><term>the caller's token</term><description>left as it is (an <see cref="OperationCanceledException"/>), never mapped</description></item>
///   <item><term>a limit passed</term><description><see cref="GatewayTimeoutException"/> naming the limit (retried only while sending)</description></item>
///   <item><term>not HTTP, or a body that does not decode</term><description><see cref="GatewayProtocolException"/> / the same / <see cref="GatewayStreamFailure.Malformed"/></description></item>
///   <item><term>the connection</term><description><see cref="GatewayConnectionException"/> (retried) / the same (not retried: a reply had started) / <see cref="GatewayStreamFailure.ConnectionLost"/></description></item>
///   <item><term>anything else a handler raised</term><description>(a resilience handler's timeout or open circuit, a test double's own) the connection row's types, never retried here, the handler's exception kept inside</description></item>
/// </list>
/// An HTTP status that is not 2xx is read by <see cref="GatewayErrorFactory"/>; <see cref="IsRetriable(GatewayException)"/> says which are retried.
/// </summary>
internal static class FailureMap
{
    /// <summary>
    /// What the messages name: the host, the attempt, the response's status and id once there is one, and how a
    /// stream is called (<c>The stream from the gateway at …</c>, or a captured one).
    /// </summary>
    internal readonly record struct Context(string Host, int Attempt, SecretRedactor Redactor, int? Status = null, string? RequestId = null, string? Subject = null)
    {
        public string Stream => Subject ?? "The stream from the gateway at " + Host;
    }

    /// <summary>Whether an exception is the caller's own cancellation, which is never mapped.</summary>
    public static bool IsCallerCancellation(Exception exception, CancellationToken caller) =>
        exception is OperationCanceledException && caller.IsCancellationRequested;

    public static Failure FromException(Exception exception, CallPhase phase, TimeLimit limit, in Context context)
    {
        var details = new GatewayErrorDetails(context.Status, null, null, null, context.RequestId, context.Redactor);
        string host = context.Host;
        switch (exception)
        {
            case OperationCanceledException:
                // Another attempt may fit in the call's time when one attempt ran out of its own, never when the call did.
                return new Failure(Timeout(phase, limit, context, details, exception),
                    Retriable: phase == CallPhase.Send && limit.Option != nameof(GatewayClientOptions.CallTimeout));
            case HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.ConfigurationLimitExceeded }:
            case SseFormatException:
            case InvalidDataException:
                // Not HTTP this client can read (a bad status line, headers past the handler's limit), an event stream
                // that breaks its grammar, or a Content-Encoding body that does not decode: the same answer next time.
                string what = exception switch
                {
                    InvalidDataException => "a compressed body that does not decompress",
                    SseFormatException => "an event stream that breaks its format",
                    _ => "a malformed HTTP response",
                };
                return new Failure(phase == CallPhase.ReadStream
                    ? new GatewayStreamException($"{context.Stream} is malformed ({what}): {exception.Message}", details, GatewayStreamFailure.Malformed, exception)
                    : new GatewayProtocolException($"The gateway at {host} sent {what}: {exception.Message} (attempt {context.Attempt}).", details, exception),
                    Retriable: false);
            case HttpRequestException or IOException:
                return phase switch
                {
                    CallPhase.Send => new Failure(new GatewayConnectionException(
                        $"Could not reach {host}: {exception.Message} (attempt {context.Attempt}). Check the base URL and the network.", details, exception), Retriable: true),
                    CallPhase.ReadBody => new Failure(new GatewayConnectionException(
                        $"The connection to {host} broke while the response was arriving: {exception.Message}. The request may have been processed; it was not retried.", details, exception), Retriable: false),
                    _ => new Failure(new GatewayStreamException(
                        $"{context.Stream} broke before it finished: {exception.Message}. The reply is incomplete.", details, GatewayStreamFailure.ConnectionLost, exception), Retriable: false),
                };
            default:
                string raised = $"{exception.GetType().Name}: {exception.Message}";
                return phase == CallPhase.ReadStream
                    ? new Failure(new GatewayStreamException(
                        $"{context.Stream} failed in the HTTP pipeline ({raised}). The reply is incomplete.", details, GatewayStreamFailure.ConnectionLost, exception), Retriable: false)
                    : new Failure(new GatewayConnectionException(
                        $"The call to {host} failed in the HTTP pipeline ({raised}) (attempt {context.Attempt}); a handler that retries or breaks circuits should be the only layer that retries.", details, exception), Retriable: false);
        }
    }

    private static GatewayTimeoutException Timeout(CallPhase phase, TimeLimit limit, in Context context, GatewayErrorDetails details, Exception inner)
    {
        string within = $"{limit.Option} ({Seconds(limit.Value)})";
        string message = phase switch
        {
            CallPhase.Send when limit.Option == nameof(GatewayClientOptions.CallTimeout) =>
                $"No response from {context.Host} within GatewayClientOptions.CallTimeout ({Seconds(limit.Value)}) over {context.Attempt} attempt(s).",
            CallPhase.Send =>
                $"No response from {context.Host} within {Seconds(limit.Value)} (attempt {context.Attempt}). Raise GatewayClientOptions.RequestTimeout for long generations.",
            CallPhase.ReadBody =>
                $"The response from {context.Host} (status {context.Status}) did not finish within GatewayClientOptions.{within}. Raise it for long generations.",
            _ =>
                $"{context.Stream} sent nothing for {Seconds(limit.Value)} and was abandoned. Raise GatewayClientOptions.{limit.Option} if the model pauses longer.",
        };
        return new GatewayTimeoutException(message, details, limit.Value, inner);
    }

    /// <summary>
    /// Whether a failure of this kind may be retried at all, before waits and counts are considered: statuses 408,
    /// 409, 429 (a rate limit, never a usage limit) and every 5xx; a connection that could not be made; a limit that
    /// passed before any response. Everything else will fail the same way again.
    /// </summary>
    public static bool IsRetriable(GatewayException failure) => failure switch
    {
        GatewayRateLimitException rateLimit => !rateLimit.IsUsageLimit,
        { StatusCode: { } status } => IsRetriableStatus(status),
        _ => false,
    };

    /// <summary>
    /// Whether the slug itself cannot answer, so another may (<see cref="GatewayClientOptions.ModelFallbacks"/>): its
    /// daily usage limit is spent, the key may not call it (403, 404), or it failed with 5xx after the retries.
    /// </summary>
    public static bool IsModelUnavailable(GatewayException failure) => failure switch
    {
        GatewayRateLimitException rateLimit => rateLimit.IsUsageLimit,
        GatewayModelNotFoundException => true,
        GatewayAuthenticationException { StatusCode: 403 } => true,
        GatewayServerException => true,
        _ => false,
    };

    public static bool IsRetriableStatus(int status) => status is 408 or 409 or 429 or >= 500;

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
