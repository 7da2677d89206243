namespace AotGateway.Generator;

/// <summary>Names of the pipeline steps, so tests can prove they are cached.</summary>
internal static class TrackingNames
{
    public const string ParsedJsonTypes = nameof(ParsedJsonTypes);
    public const string JsonTypeModels = nameof(JsonTypeModels);
    public const string ParsedTools = nameof(ParsedTools);
    public const string GroupedTools = nameof(GroupedTools);
    public const string ToolSets = nameof(ToolSets);
}
