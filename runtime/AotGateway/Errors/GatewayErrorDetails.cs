namespace AotGateway;

/// <summary>What is known about a failed exchange; the raw material of every <see cref="GatewayException"/>.</summary>
internal readonly record struct GatewayErrorDetails(
    int? StatusCode,
    string? ErrorType,
    string? ErrorCode,
    string? Message,
    string? RequestId);
