using System;

namespace AotGateway;

/// <summary>
/// A structured-output reply could not become the requested type: the model refused, the reply was cut
/// short, or the text does not fit the schema. <see cref="RawText"/> keeps what the model said, so nothing is lost.
/// </summary>
public sealed class GatewayStructuredOutputException : GatewayException
{
    /// <summary>Creates the exception, for tests of code that handles it; the client builds its own. Set the properties with an object initializer.</summary>
    public GatewayStructuredOutputException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal GatewayStructuredOutputException(string message, string? rawText, string? refusal, string? finishReason, string? requestId, Exception? inner = null)
        : base(message, new GatewayErrorDetails(200, null, null, null, requestId, SecretRedactor.None), inner)
    {
        RawText = rawText;
        Refusal = refusal;
        FinishReason = finishReason;
    }

    /// <summary>The reply's text as it arrived, or <see langword="null"/> when there was none.</summary>
    public string? RawText { get; init; }

    /// <summary>The model's refusal, when it refused.</summary>
    public string? Refusal { get; init; }

    /// <summary>The reply's finish reason (<c>length</c> means it was cut at the token limit).</summary>
    public string? FinishReason { get; init; }
}
