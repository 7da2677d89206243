using System;

namespace AotGateway;

/// <summary>A call the model asked for: which function, with which arguments (a JSON object as text).</summary>
public sealed class ChatToolCall
{
    /// <summary>Creates a function call.</summary>
    public ChatToolCall(string id, string name, string arguments)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Arguments = arguments ?? throw new ArgumentNullException(nameof(arguments));
    }

    /// <summary>The call id, to quote in the tool message that answers it.</summary>
    public string Id { get; }

    /// <summary>The function name.</summary>
    public string Name { get; }

    /// <summary>The arguments as the model wrote them: JSON text, not yet validated.</summary>
    public string Arguments { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}({Arguments}) [{Id}]";
}
