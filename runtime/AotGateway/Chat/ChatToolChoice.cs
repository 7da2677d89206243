namespace AotGateway;

/// <summary>Whether and which tool the model must call (<c>tool_choice</c>).</summary>
public sealed class ChatToolChoice
{
    private ChatToolChoice(string? mode, string? functionName)
    {
        Mode = mode;
        FunctionName = functionName;
    }

    /// <summary>The model decides (<c>auto</c>).</summary>
    public static ChatToolChoice Auto { get; } = new("auto", null);

    /// <summary>The model must not call tools (<c>none</c>).</summary>
    public static ChatToolChoice None { get; } = new("none", null);

    /// <summary>The model must call at least one tool (<c>required</c>).</summary>
    public static ChatToolChoice Required { get; } = new("required", null);

    /// <summary>The model must call this function.</summary>
    public static ChatToolChoice Function(string name)
    {
        ToolNames.ThrowIfInvalid(name);
        return new(null, name);
    }

    /// <summary><c>auto</c>, <c>none</c> or <c>required</c>; <see langword="null"/> when a function is named.</summary>
    public string? Mode { get; }

    /// <summary>The named function, when one is.</summary>
    public string? FunctionName { get; }
}
