namespace AotGateway;

/// <summary>
/// What is known about a failed exchange; the raw material of every <see cref="GatewayException"/>. The
/// redactor is required so that no exception can be made from outside text without naming who cleans it.
/// </summary>
internal readonly record struct GatewayErrorDetails(
    int? StatusCode,
    string? ErrorType,
    string? ErrorCode,
    string? Message,
    string? RequestId,
    SecretRedactor Redactor)
{
    /// <summary>Details of a failure with no response to speak of.</summary>
    public static GatewayErrorDetails None(SecretRedactor redactor) => new(null, null, null, null, null, redactor);
}
