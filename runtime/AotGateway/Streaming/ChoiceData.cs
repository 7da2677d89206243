using System;
using System.Text;

namespace AotGateway;

/// <summary>
/// What one chunk adds to one choice: text, reasoning, refusal, tool-call fragments, a finish reason.
/// Text is exposed as UTF-8 spans without allocating; the string properties allocate when called.
/// Valid until the next update.
/// </summary>
internal sealed class ChoiceData
{
    private ToolCallData[] _toolCalls = [];
    private int _toolCallCount;

    internal ReadOnlyMemory<byte> ContentMemory;
    internal ReadOnlyMemory<byte> ReasoningMemory;
    internal ReadOnlyMemory<byte> RefusalMemory;
    internal ReadOnlyMemory<byte> LogprobsMemory;
    internal bool HasContentValue;
    internal bool HasReasoningValue;
    internal bool HasRefusalValue;

    internal ChoiceData()
    {
    }

    internal int ToolCallCount => _toolCallCount;

    internal ToolCallData ToolCallAt(int index) => _toolCalls[index];

    internal ChoiceData Clone()
    {
        var copy = new ChoiceData
        {
            Index = Index,
            Role = Role,
            ContentMemory = ContentMemory.ToArray(),
            ReasoningMemory = ReasoningMemory.ToArray(),
            RefusalMemory = RefusalMemory.ToArray(),
            LogprobsMemory = LogprobsMemory.ToArray(),
            HasContentValue = HasContentValue,
            HasReasoningValue = HasReasoningValue,
            HasRefusalValue = HasRefusalValue,
            FinishReason = FinishReason,
        };
        if (_toolCallCount > 0)
        {
            copy._toolCalls = new ToolCallData[_toolCallCount];
            for (int i = 0; i < _toolCallCount; i++)
                copy._toolCalls[i] = _toolCalls[i].Clone();
            copy._toolCallCount = _toolCallCount;
        }
        return copy;
    }

    /// <summary>The choice this update belongs to.</summary>
    public int Index { get; internal set; }

    /// <summary>The role, when this chunk names it (usually only the first).</summary>
    public ChatRole? Role { get; internal set; }

    /// <summary>The text this chunk adds, as UTF-8 (empty when none).</summary>
    public ReadOnlySpan<byte> ContentUtf8 => ContentMemory.Span;

    /// <summary>The reasoning text this chunk adds (<c>reasoning_content</c> or <c>reasoning</c>), as UTF-8.</summary>
    public ReadOnlySpan<byte> ReasoningUtf8 => ReasoningMemory.Span;

    /// <summary>The refusal text this chunk adds, as UTF-8.</summary>
    public ReadOnlySpan<byte> RefusalUtf8 => RefusalMemory.Span;

    /// <summary>The raw JSON of this chunk's <c>logprobs</c> object, or empty.</summary>
    public ReadOnlySpan<byte> LogprobsJson => LogprobsMemory.Span;

    /// <summary>Whether this chunk carried a <c>content</c> string (possibly empty).</summary>
    public bool HasContent => HasContentValue;

    /// <summary>Whether this chunk carried reasoning text.</summary>
    public bool HasReasoning => HasReasoningValue;

    /// <summary>Whether this chunk carried refusal text.</summary>
    public bool HasRefusal => HasRefusalValue;

    /// <summary>The text this chunk adds, or <see langword="null"/>. Allocates a string.</summary>
    public string? Content => HasContentValue ? Encoding.UTF8.GetString(ContentMemory.Span) : null;

    /// <summary>The reasoning text this chunk adds, or <see langword="null"/>. Allocates a string.</summary>
    public string? Reasoning => HasReasoningValue ? Encoding.UTF8.GetString(ReasoningMemory.Span) : null;

    /// <summary>The refusal text this chunk adds, or <see langword="null"/>. Allocates a string.</summary>
    public string? Refusal => HasRefusalValue ? Encoding.UTF8.GetString(RefusalMemory.Span) : null;

    /// <summary>Why generation stopped, on the choice's last chunk: see <see cref="ChatFinishReasons"/>.</summary>
    public string? FinishReason { get; internal set; }

    /// <summary>The tool-call fragments in this chunk.</summary>
    public ReadOnlySpan<ToolCallData> ToolCalls => _toolCalls.AsSpan(0, _toolCallCount);

    internal ToolCallData AddToolCall()
    {
        if (_toolCallCount == _toolCalls.Length)
        {
            Array.Resize(ref _toolCalls, Math.Max(4, _toolCalls.Length * 2));
        }
        ToolCallData call = _toolCalls[_toolCallCount] ??= new ToolCallData();
        call.Reset();
        _toolCallCount++;
        return call;
    }

    internal void Reset()
    {
        Index = 0;
        Role = null;
        ContentMemory = default;
        ReasoningMemory = default;
        RefusalMemory = default;
        LogprobsMemory = default;
        HasContentValue = false;
        HasReasoningValue = false;
        HasRefusalValue = false;
        FinishReason = null;
        _toolCallCount = 0;
    }
}
