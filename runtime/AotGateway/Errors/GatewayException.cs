using System;

namespace AotGateway;

/// <summary>
/// The base of every error the gateway client raises. Carries the HTTP status (when there was one), the
/// gateway's error type, code and message, and the request id to quote when asking for support.
/// Messages never contain the API key.
/// </summary>
public class GatewayException : Exception
{
    /// <summary>
    /// Creates an exception with no response behind it; set <see cref="StatusCode"/> and the others with an object
    /// initializer. For code that handles gateway failures and wants to test itself: the client builds its own.
    /// </summary>
    public GatewayException(string message, Exception? innerException = null)
        : this(message, GatewayErrorDetails.None(SecretRedactor.None), innerException)
    {
    }

    // Every text an exception keeps passes through the call's redactor here, once, whoever built the message.
    internal GatewayException(string message, GatewayErrorDetails details, Exception? inner = null)
        : base(RedactorOf(details).Redact(message), RedactorOf(details).Inner(inner))
    {
        SecretRedactor redactor = RedactorOf(details);
        StatusCode = details.StatusCode;
        ErrorType = redactor.Redact(details.ErrorType);
        ErrorCode = redactor.Redact(details.ErrorCode);
        GatewayMessage = redactor.Redact(details.Message);
        RequestId = redactor.Redact(details.RequestId);
    }

    private string? _note;

    /// <summary>The message, with any note the client added after deciding what to do about the failure.</summary>
    public override string Message => _note is null ? base.Message : base.Message + " " + _note;

    /// <summary>Adds a sentence the client wrote (never text from outside), such as why a failure was not retried.</summary>
    internal void AddNote(string note) => _note = _note is null ? note : _note + " " + note;

    private static SecretRedactor RedactorOf(in GatewayErrorDetails details) => details.Redactor ?? SecretRedactor.None;

    /// <summary>The HTTP status code, or <see langword="null"/> when no response was received.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The error <c>type</c> from the gateway's error body, when it sent one.</summary>
    public string? ErrorType { get; init; }

    /// <summary>The error <c>code</c> from the gateway's error body, when it sent one.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The gateway's own error message, when it sent one (with any echo of the key removed).</summary>
    public string? GatewayMessage { get; init; }

    /// <summary>The request id the gateway assigned (<c>x-request-id</c>), when it sent one.</summary>
    public string? RequestId { get; init; }
}
