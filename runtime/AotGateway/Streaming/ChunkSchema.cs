using System;

namespace AotGateway;

/// <summary>The objects a chunk nests: the chunk itself, its choices, a choice's delta, tool calls, their function.</summary>
internal enum ChunkLevel : byte
{
    Root,
    Choice,
    Delta,
    ToolCall,
    Function,
}

/// <summary>How a member's value is read, and where it goes.</summary>
internal enum MemberKind : byte
{
    /// <summary>A string handed out as UTF-8 in a <see cref="TextSlot"/>; null: not present. Varies from chunk to chunk.</summary>
    Text,

    /// <summary>A string kept in a slot that is the same on every chunk (the header's): part of the template's fixed bytes.</summary>
    FixedText,

    /// <summary>A string, or a number kept as its JSON text (vLLM's <c>stop_reason</c>: a stop string or a token id); other values are skipped.</summary>
    Scalar,

    /// <summary>An object kept as its raw JSON (<c>logprobs</c>); other values are skipped. Varies from chunk to chunk.</summary>
    RawObject,

    /// <summary>A 32-bit integer, or null meaning 0.</summary>
    Index,

    /// <summary>Unix seconds.</summary>
    Created,

    /// <summary>A string, shared when it is one of the common reasons.</summary>
    FinishReason,

    /// <summary>A role name; values that are not strings are skipped.</summary>
    Role,

    /// <summary>The usage object, or null.</summary>
    Usage,

    /// <summary>Any value but null makes the chunk an error event.</summary>
    Error,

    /// <summary>The string <c>error</c> makes the chunk an error event (vLLM's in-stream failures); anything else is skipped.</summary>
    ObjectType,

    /// <summary>An object of the <see cref="ChunkMember.Child"/> level, or null.</summary>
    Object,

    /// <summary>An array of objects of the <see cref="ChunkMember.Child"/> level, or null.</summary>
    Array,
}

/// <summary>One member a chunk reader knows: its name, how it is read, and where it goes.</summary>
internal sealed class ChunkMember(byte[] name, MemberKind kind, TextSlot slot = default, ChunkLevel child = default)
{
    public byte[] Name { get; } = name;

    public MemberKind Kind { get; } = kind;

    /// <summary>For <see cref="MemberKind.Text"/>, <see cref="MemberKind.FixedText"/>, <see cref="MemberKind.Scalar"/> and <see cref="MemberKind.RawObject"/>.</summary>
    public TextSlot Slot { get; } = slot;

    /// <summary>For <see cref="MemberKind.Object"/> and <see cref="MemberKind.Array"/>.</summary>
    public ChunkLevel Child { get; } = child;
}

/// <summary>
/// The <c>chat.completion.chunk</c> object as data: every member the readers know, per level. The grammar-checking
/// scanner and the full <see cref="System.Text.Json.Utf8JsonReader"/> reader both read with it, and the template
/// replays what they stored by slot, so a member is described once. Members not listed are skipped.
/// </summary>
internal static class ChunkSchema
{
    private static readonly ChunkMember[] s_root =
    [
        new("choices"u8.ToArray(), MemberKind.Array, child: ChunkLevel.Choice),
        new("id"u8.ToArray(), MemberKind.FixedText, TextSlot.Id),
        new("model"u8.ToArray(), MemberKind.FixedText, TextSlot.Model),
        new("created"u8.ToArray(), MemberKind.Created),
        new("system_fingerprint"u8.ToArray(), MemberKind.FixedText, TextSlot.SystemFingerprint),
        new("service_tier"u8.ToArray(), MemberKind.FixedText, TextSlot.ServiceTier),
        new("usage"u8.ToArray(), MemberKind.Usage),
        new("error"u8.ToArray(), MemberKind.Error),
        new("object"u8.ToArray(), MemberKind.ObjectType),
    ];

    private static readonly ChunkMember[] s_choice =
    [
        new("delta"u8.ToArray(), MemberKind.Object, child: ChunkLevel.Delta),
        new("index"u8.ToArray(), MemberKind.Index),
        new("finish_reason"u8.ToArray(), MemberKind.FinishReason),
        new("logprobs"u8.ToArray(), MemberKind.RawObject, TextSlot.Logprobs),
        new("stop_reason"u8.ToArray(), MemberKind.Scalar, TextSlot.StopReason),
    ];

    private static readonly ChunkMember[] s_delta =
    [
        new("content"u8.ToArray(), MemberKind.Text, TextSlot.Content),
        new("reasoning_content"u8.ToArray(), MemberKind.Text, TextSlot.Reasoning),
        new("reasoning"u8.ToArray(), MemberKind.Text, TextSlot.Reasoning),
        new("refusal"u8.ToArray(), MemberKind.Text, TextSlot.Refusal),
        new("role"u8.ToArray(), MemberKind.Role),
        new("tool_calls"u8.ToArray(), MemberKind.Array, child: ChunkLevel.ToolCall),
    ];

    private static readonly ChunkMember[] s_toolCall =
    [
        new("index"u8.ToArray(), MemberKind.Index),
        new("id"u8.ToArray(), MemberKind.Text, TextSlot.ToolCallId),
        new("function"u8.ToArray(), MemberKind.Object, child: ChunkLevel.Function),
    ];

    private static readonly ChunkMember[] s_function =
    [
        new("name"u8.ToArray(), MemberKind.Text, TextSlot.ToolCallName),
        new("arguments"u8.ToArray(), MemberKind.Text, TextSlot.ToolCallArguments),
    ];

    private static readonly ChunkMember[][] s_levels = [s_root, s_choice, s_delta, s_toolCall, s_function];

    /// <summary>The members of <paramref name="level"/>.</summary>
    public static ChunkMember[] Members(ChunkLevel level) => s_levels[(int)level];

    /// <summary>The member named <paramref name="name"/> (unescaped UTF-8), or null.</summary>
    public static ChunkMember? Find(ChunkMember[] members, ReadOnlySpan<byte> name)
    {
        foreach (ChunkMember member in members)
        {
            if (member.Name.Length == name.Length && name.SequenceEqual(member.Name))
                return member;
        }
        return null;
    }
}
