namespace AotGateway;

/// <summary>
/// A fragment of a tool call in a stream: its texts by slot. Fragments with the same <see cref="Index"/> build one
/// call: the first usually carries the id and name, later ones pieces of the arguments.
/// </summary>
internal sealed class ToolCallData : ChunkPart
{
    public ToolCallData()
        : base(TextSlots.FirstToolCall, TextSlots.LastToolCall)
    {
    }

    /// <summary>Which call of the choice this fragment belongs to.</summary>
    public int Index { get; set; }

    public ToolCallData Clone()
    {
        var copy = new ToolCallData { Index = Index };
        CopyTextsTo(copy);
        return copy;
    }

    public void Reset()
    {
        ClearTexts();
        Index = 0;
    }
}
