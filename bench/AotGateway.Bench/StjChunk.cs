using System.Text.Json.Serialization;

namespace AotGateway.Bench;

// The chunk shape as a user of System.Text.Json source generation would write it.
public sealed class StjChunk
{
    public string? Id { get; set; }
    public string? Model { get; set; }
    public long Created { get; set; }
    public List<StjChoice>? Choices { get; set; }
    public StjUsage? Usage { get; set; }
}

public sealed class StjChoice
{
    public int Index { get; set; }
    public StjDelta? Delta { get; set; }
    public string? FinishReason { get; set; }
}

public sealed class StjDelta
{
    public string? Role { get; set; }
    public string? Content { get; set; }
    public string? Reasoning { get; set; }
    public string? Refusal { get; set; }
    public List<StjToolCall>? ToolCalls { get; set; }
}

public sealed class StjToolCall
{
    public int Index { get; set; }
    public string? Id { get; set; }
    public string? Type { get; set; }
    public StjFunction? Function { get; set; }
}

public sealed class StjFunction
{
    public string? Name { get; set; }
    public string? Arguments { get; set; }
}

public sealed class StjUsage
{
    public int PromptTokens { get; set; }
    public int CompletionTokens { get; set; }
    public int TotalTokens { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StjChunk))]
public sealed partial class StjContext : JsonSerializerContext;
