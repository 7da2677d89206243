using System.Collections.Generic;

namespace AotGateway;

/// <summary>The end of a tool loop: the final reply and the conversation that led to it.</summary>
public sealed class ToolLoopResult
{
    internal ToolLoopResult(ChatCompletion completion, IReadOnlyList<ChatMessage> messages, int rounds, int toolCalls)
    {
        Completion = completion;
        Messages = messages;
        Rounds = rounds;
        ToolCalls = toolCalls;
    }

    /// <summary>The last reply, which asked for no tool.</summary>
    public ChatCompletion Completion { get; }

    /// <summary>The request's messages, now with each assistant message that asked for tools and the tool messages that answered.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    /// <summary>How many requests the loop sent.</summary>
    public int Rounds { get; }

    /// <summary>How many calls it ran (or answered with an error).</summary>
    public int ToolCalls { get; }
}
