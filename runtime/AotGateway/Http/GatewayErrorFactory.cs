using System;
using System.Net.Http.Headers;
using AotGateway.Json;

namespace AotGateway;

/// <summary>Turns a failed response into the matching typed exception, with a message that says what to do.</summary>
internal static class GatewayErrorFactory
{
    /// <summary>What the factory needs to know about the call that failed.</summary>
    internal readonly record struct CallContext(string? Model, string Host, string? ApiKey, int Attempts, SecretRedactor Redactor);

    public static GatewayException FromResponse(
        int status, HttpResponseHeaders? headers, string? contentType, ReadOnlySpan<byte> body, CallContext call, DateTimeOffset now)
    {
        string? requestId = headers is null ? null : ReadRequestId(headers);
        ErrorBodyReader.ErrorBody error;
        string? serverText;
        if (ErrorBodyReader.TryRead(body, out error))
        {
            serverText = error.Message;
        }
        else
        {
            serverText = DescribeNonJsonBody(body, contentType, call.Redactor);
        }

        // The exception's constructor redacts every field; the 429 classifier reads them first, so clean them here too.
        SecretRedactor redactor = call.Redactor;
        var details = new GatewayErrorDetails(
            status,
            redactor.Redact(error.Type),
            redactor.Redact(error.Code),
            redactor.Redact(serverText),
            redactor.Redact(requestId),
            redactor);
        string said = details.Message is null ? "" : $": {details.Message}";
        string rid = requestId is null ? "" : $" (request id {requestId})";
        string model = call.Model ?? "(no model)";

        switch (status)
        {
            case 401:
            case 403:
                return new GatewayAuthenticationException(
                    $"The gateway at {call.Host} refused the credentials ({status}{said}){rid}. {AuthHint(status, call.ApiKey)}", details);
            case 404:
                return new GatewayModelNotFoundException(
                    $"The gateway at {call.Host} does not serve model '{model}' to this key ({status}{said}){rid}. Check the slug (org/model) and that the key is authorized for it.",
                    details);
            case 400:
            case 422:
                return new GatewayBadRequestException(
                    $"The gateway rejected the request as invalid ({status}{said}){rid}. Fix the request; retrying it unchanged will fail again.", details);
            case 408:
                return new GatewayTimeoutException(
                    $"The gateway timed out waiting for the request ({status}{said}){rid} after {call.Attempts} attempt(s).", details, TimeSpan.Zero);
            case 429:
                RateLimitInfo info = RateLimitClassifier.Classify(headers, details.ErrorType, details.ErrorCode, details.Message, call.Model, now);
                return new GatewayRateLimitException(RateLimitMessage(info, model, said, rid, call.Attempts), details, info);
            case >= 500:
                return new GatewayServerException(
                    $"The gateway at {call.Host} failed with {status}{said}{rid} after {call.Attempts} attempt(s). This is usually temporary: try again later.",
                    details);
            default:
                return new GatewayBadRequestException(
                    $"The gateway answered {status}{said}{rid}; this client treats it as a request error.", details);
        }
    }

    /// <summary>An <c>{"error": ...}</c> event (or an <c>event: error</c>) in the middle of a stream.</summary>
    public static GatewayStreamException FromStreamErrorEvent(ReadOnlySpan<byte> data, string? requestId, SecretRedactor redactor)
    {
        string? message = null, type = null, code = null;
        if (ErrorBodyReader.TryRead(data, out ErrorBodyReader.ErrorBody error))
            (message, type, code) = (redactor.Redact(error.Message), redactor.Redact(error.Type), redactor.Redact(error.Code));
        else if (!data.IsEmpty)
            message = redactor.RedactUtf8(data, MaxQuotedChars);
        return new GatewayStreamException(
            $"The gateway reported an error in the middle of the stream: {message ?? "(no message)"}. The reply is incomplete.",
            new GatewayErrorDetails(200, type, code, message, requestId, redactor), GatewayStreamFailure.ErrorEvent);
    }

    private static string RateLimitMessage(RateLimitInfo info, string model, string said, string rid, int attempts)
    {
        if (info.IsUsageLimit)
        {
            string when = info.ResetsAt is { } at ? $" It resets at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC." : " The gateway did not say when it resets.";
            return $"The usage limit for model '{model}' is exhausted (429{said}){rid}.{when} Retrying before then will fail; it was not retried.";
        }
        string after = info.RetryAfter is { } wait ? $" The gateway asked to wait {wait.TotalSeconds:0.###} s." : "";
        return $"The rate limit for model '{model}' was exceeded (429{said}){rid} after {attempts} attempt(s).{after} Slow down or raise the limit.";
    }

    private static string AuthHint(int status, string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
            return "No API key was set: set BASETEN_API_KEY or GatewayClientOptions.ApiKey.";
        if (key.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Api-Key ", StringComparison.OrdinalIgnoreCase))
            return "The key includes an auth scheme prefix: set only the key itself; the client sends it as 'Api-Key <key>'.";
        return status == 403
            ? "The key is valid but not allowed to do this: check which model slugs it is authorized for."
            : "Check that BASETEN_API_KEY holds a current key for this gateway (the client sends it as 'Api-Key <key>', never Bearer).";
    }

    internal static string? ReadRequestId(HttpResponseHeaders headers)
    {
        foreach (string name in (ReadOnlySpan<string>)["x-request-id", "x-baseten-request-id", "request-id"])
        {
            if (Http.HeaderValues.TryGetSingle(headers, name, out string? value))
                return value;
        }
        return null;
    }

    private static string? DescribeNonJsonBody(ReadOnlySpan<byte> body, string? contentType, SecretRedactor redactor)
    {
        if (body.IsEmpty)
            return null;
        if (JsonReading.LooksLikeHtml(body))
            return $"an HTML page ({contentType ?? "no content type"}), likely from a proxy in front of the gateway";
        return redactor.RedactUtf8(body, MaxQuotedChars);
    }

    /// <summary>How much of a body that is not an error object is quoted in a message.</summary>
    internal const int MaxQuotedChars = 200;
}
