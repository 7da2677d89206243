using System;
using System.Text;

namespace AotGateway;

/// <summary>
/// What one chunk adds to one choice: text, reasoning, refusal, tool-call fragments, a finish reason.
/// Text is exposed as UTF-8 spans without allocating; the string properties allocate when called.
/// A view valid as long as its <see cref="ChatUpdate"/> is; reading it later throws.
/// </summary>
public readonly struct ChatChoiceUpdate
{
    private readonly ChoiceData _choice;
    private readonly ViewStamp _stamp;

    internal ChatChoiceUpdate(ChoiceData choice, ViewStamp stamp)
    {
        _choice = choice;
        _stamp = stamp;
    }

    private ChoiceData Data
    {
        get
        {
            _ = _stamp.Current;
            return _choice;
        }
    }

    /// <summary>The choice this update belongs to.</summary>
    public int Index => Data.Index;

    /// <summary>The role, when this chunk names it (usually only the first).</summary>
    public ChatRole? Role => Data.Role;

    /// <summary>The text this chunk adds, as UTF-8 (empty when none).</summary>
    public ReadOnlySpan<byte> ContentUtf8 => Data.Text(TextSlot.Content);

    /// <summary>The reasoning text this chunk adds (<c>reasoning_content</c> or <c>reasoning</c>), as UTF-8.</summary>
    public ReadOnlySpan<byte> ReasoningUtf8 => Data.Text(TextSlot.Reasoning);

    /// <summary>The refusal text this chunk adds, as UTF-8.</summary>
    public ReadOnlySpan<byte> RefusalUtf8 => Data.Text(TextSlot.Refusal);

    /// <summary>The raw JSON of this chunk's <c>logprobs</c> object, or empty.</summary>
    public ReadOnlySpan<byte> LogprobsJson => Data.Text(TextSlot.Logprobs);

    /// <summary>Whether this chunk carried a <c>content</c> string (possibly empty).</summary>
    public bool HasContent => Data.Has(TextSlot.Content);

    /// <summary>Whether this chunk carried reasoning text.</summary>
    public bool HasReasoning => Data.Has(TextSlot.Reasoning);

    /// <summary>Whether this chunk carried refusal text.</summary>
    public bool HasRefusal => Data.Has(TextSlot.Refusal);

    /// <summary>The text this chunk adds, or <see langword="null"/>. Allocates a string.</summary>
    public string? Content => Data.String(TextSlot.Content);

    /// <summary>The reasoning text this chunk adds, or <see langword="null"/>. Allocates a string.</summary>
    public string? Reasoning => Data.String(TextSlot.Reasoning);

    /// <summary>The refusal text this chunk adds, or <see langword="null"/>. Allocates a string.</summary>
    public string? Refusal => Data.String(TextSlot.Refusal);

    /// <summary>Why generation stopped, on the choice's last chunk: see <see cref="ChatFinishReasons"/>.</summary>
    public string? FinishReason => Data.FinishReason;

    /// <summary>
    /// What stopped generation, beside <see cref="FinishReason"/>, as vLLM-based servers (Baseten's among them) send
    /// it as UTF-8: the stop string, or the stop token's id as its digits (empty when none).
    /// </summary>
    public ReadOnlySpan<byte> StopReasonUtf8 => Data.Text(TextSlot.StopReason);

    /// <summary>The stop string or stop token id (as digits), or <see langword="null"/>. Allocates a string.</summary>
    public string? StopReason => Data.String(TextSlot.StopReason);

    /// <summary>The tool-call fragments in this chunk.</summary>
    public ToolCallUpdateList ToolCalls => new(Data, _stamp);
}
