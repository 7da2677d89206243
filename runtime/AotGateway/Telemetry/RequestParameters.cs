using System.Collections.Generic;

namespace AotGateway;

/// <summary>
/// The request's parameters the GenAI conventions record on a span, read off a request by its owner (so telemetry
/// needs nothing of the chat types). Null where the request leaves one unset.
/// </summary>
internal readonly record struct RequestParameters(
    int? MaxTokens,
    double? Temperature,
    double? TopP,
    double? FrequencyPenalty,
    double? PresencePenalty,
    long? Seed,
    IList<string>? Stop,
    int? N,
    string? OutputType);
