namespace AotGateway;

/// <summary>Who wrote a message.</summary>
public enum ChatRole
{
    /// <summary>Instructions from the application (<c>system</c>).</summary>
    System,

    /// <summary>Instructions from the developer, for models that distinguish them from system (<c>developer</c>).</summary>
    Developer,

    /// <summary>The end user (<c>user</c>).</summary>
    User,

    /// <summary>The model (<c>assistant</c>).</summary>
    Assistant,

    /// <summary>The result of a tool call (<c>tool</c>).</summary>
    Tool,
}
