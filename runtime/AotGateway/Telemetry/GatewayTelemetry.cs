using System.Diagnostics;
using System.Diagnostics.Metrics;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// The library's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>AotGateway</c>, following the
/// OpenTelemetry GenAI semantic conventions: a client span per chat call (<c>chat {model}</c>), retries as span
/// events, and the <c>gen_ai.client.token.usage</c>, <c>gen_ai.client.operation.duration</c> and
/// <c>gen_ai.client.operation.time_to_first_chunk</c> histograms. Prompts, replies and the key are never recorded.
/// Nothing is allocated or measured while nobody listens; the <c>AotGateway.Telemetry</c> feature switch removes it all.
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "AotGateway";

    internal static readonly ActivitySource Source = new(Name, LibraryInfo.Version);
    internal static readonly Meter Meter = new(Name, LibraryInfo.Version);

    // Bucket boundaries the conventions recommend for each instrument.
    internal static readonly Histogram<long> TokenUsage = Meter.CreateHistogram<long>(
        "gen_ai.client.token.usage", "{token}", "Number of input and output tokens used.",
        tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });

    internal static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "gen_ai.client.operation.duration", "s", "GenAI operation duration.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });

    internal static readonly Histogram<double> TimeToFirstChunk = Meter.CreateHistogram<double>(
        "gen_ai.client.operation.time_to_first_chunk", "s", "Time to receive the first chunk of a streamed reply.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });
}
