namespace AotGateway.Generator;

/// <summary>Names of the pipeline steps, so tests can prove they are cached.</summary>
internal static class TrackingNames
{
    public const string ParsedJsonTypes = nameof(ParsedJsonTypes);
}
