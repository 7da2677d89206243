namespace AotGateway;

/// <summary>
/// Every text a chunk hands out, wherever it sits: the chunk's header, a choice, or a tool call. The members that
/// fill a slot are rows of <see cref="ChunkSchema"/>; views read slots by name; cloning, clearing, the byte budget
/// and the UTF-8 check loop over them. A new text of the delta is one value here and one row there.
/// </summary>
internal enum TextSlot : byte
{
    // Slots are grouped by level (the chunk, a choice, a tool call), each group between its First and Last below.

    // The chunk's header: the same on every chunk of a stream, bounded by the event size, never counted.
    Id,
    Model,
    SystemFingerprint,
    ServiceTier,

    // A choice's texts. From here on every slot counts against the stream's byte budget and must be UTF-8.
    Content,
    Reasoning,
    Refusal,
    StopReason,
    Logprobs,

    // A tool call's texts.
    ToolCallId,
    ToolCallName,
    ToolCallArguments,
}

/// <summary>What the slots have in common.</summary>
internal static class TextSlots
{
    /// <summary>How many slots there are.</summary>
    public const int Count = (int)TextSlot.ToolCallArguments + 1;

    /// <summary>The first slot that is counted and checked: everything a reply is made of, not its header.</summary>
    public const TextSlot FirstCounted = TextSlot.Content;

    // Each level's range, for the part that holds it.
    public const TextSlot FirstHeader = TextSlot.Id, LastHeader = TextSlot.ServiceTier;
    public const TextSlot FirstChoice = TextSlot.Content, LastChoice = TextSlot.Logprobs;
    public const TextSlot FirstToolCall = TextSlot.ToolCallId, LastToolCall = TextSlot.ToolCallArguments;
}
