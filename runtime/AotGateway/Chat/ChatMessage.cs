using System;
using System.Collections.Generic;

namespace AotGateway;

/// <summary>
/// A message in a conversation: sent in a request, and returned as a choice's reply. Content is either plain
/// text (<see cref="Content"/>) or a list of parts (<see cref="Parts"/>: text and images).
/// </summary>
public sealed class ChatMessage
{
    /// <summary>Creates a message with a role and plain-text content.</summary>
    public ChatMessage(ChatRole role, string? content)
    {
        Role = role;
        Content = content;
    }

    /// <summary>Who wrote the message.</summary>
    public ChatRole Role { get; }

    /// <summary>The text content, or <see langword="null"/> (an assistant message that only calls tools, or a multi-part message).</summary>
    public string? Content { get; init; }

    /// <summary>Multi-part content (text and images). When set, it is sent instead of <see cref="Content"/>.</summary>
    public IReadOnlyList<ChatContentPart>? Parts { get; init; }

    /// <summary>An optional participant name.</summary>
    public string? Name { get; init; }

    /// <summary>For an assistant message: the tool calls it asked for.</summary>
    public IReadOnlyList<ChatToolCall>? ToolCalls { get; init; }

    /// <summary>For a tool message: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>For an assistant reply: the model's refusal, when it refused.</summary>
    public string? Refusal { get; init; }

    /// <summary>For an assistant reply from a reasoning model: its reasoning text (<c>reasoning_content</c>).</summary>
    public string? Reasoning { get; init; }

    /// <summary>A system message.</summary>
    public static ChatMessage System(string content) => new(ChatRole.System, content);

    /// <summary>A developer message.</summary>
    public static ChatMessage Developer(string content) => new(ChatRole.Developer, content);

    /// <summary>A user message with text.</summary>
    public static ChatMessage User(string content) => new(ChatRole.User, content);

    /// <summary>A user message with parts (text and images).</summary>
    public static ChatMessage User(params ChatContentPart[] parts) => new(ChatRole.User, null) { Parts = parts };

    /// <summary>An assistant message with text (a previous turn of the conversation).</summary>
    public static ChatMessage Assistant(string content) => new(ChatRole.Assistant, content);

    /// <summary>An assistant message that called tools.</summary>
    public static ChatMessage Assistant(IReadOnlyList<ChatToolCall> toolCalls, string? content = null) =>
        new(ChatRole.Assistant, content) { ToolCalls = toolCalls };

    /// <summary>A tool message answering the call <paramref name="toolCallId"/>.</summary>
    public static ChatMessage Tool(string toolCallId, string content)
    {
        ArgumentException.ThrowIfNullOrEmpty(toolCallId);
        return new(ChatRole.Tool, content) { ToolCallId = toolCallId };
    }
}
