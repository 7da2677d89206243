using System;

namespace AotGateway;

/// <summary>What one chunk adds to one choice: its texts by slot, a role, a finish reason, tool-call fragments.</summary>
internal sealed class ChoiceData : ChunkPart
{
    private ToolCallData[] _toolCalls = [];
    private int _toolCallCount;

    public ChoiceData()
        : base(TextSlots.FirstChoice, TextSlots.LastChoice)
    {
    }

    /// <summary>The choice this update belongs to.</summary>
    public int Index { get; set; }

    /// <summary>The role, when this chunk names it (usually only the first).</summary>
    public ChatRole? Role { get; set; }

    /// <summary>Why generation stopped, on the choice's last chunk.</summary>
    public string? FinishReason { get; set; }

    public int ToolCallCount => _toolCallCount;

    public ToolCallData ToolCallAt(int index) => _toolCalls[index];

    /// <summary>The tool-call fragments in this chunk.</summary>
    public ReadOnlySpan<ToolCallData> ToolCalls => _toolCalls.AsSpan(0, _toolCallCount);

    public ChoiceData Clone()
    {
        var copy = new ChoiceData { Index = Index, Role = Role, FinishReason = FinishReason };
        CopyTextsTo(copy);
        if (_toolCallCount > 0)
        {
            copy._toolCalls = new ToolCallData[_toolCallCount];
            for (int i = 0; i < _toolCallCount; i++)
                copy._toolCalls[i] = _toolCalls[i].Clone();
            copy._toolCallCount = _toolCallCount;
        }
        return copy;
    }

    public ToolCallData AddToolCall()
    {
        if (_toolCallCount == _toolCalls.Length)
            Array.Resize(ref _toolCalls, Math.Max(4, _toolCalls.Length * 2));
        ToolCallData call = _toolCalls[_toolCallCount] ??= new ToolCallData();
        call.Reset();
        _toolCallCount++;
        return call;
    }

    public void Reset()
    {
        ClearTexts();
        Index = 0;
        Role = null;
        FinishReason = null;
        _toolCallCount = 0;
    }
}
