using System;
using System.Text;
using System.Text.Unicode;

namespace AotGateway;

/// <summary>
/// The texts one part of a chunk (the chunk, a choice, a tool call) holds, by <see cref="TextSlot"/>: UTF-8 slices
/// of the stream's buffers, each present or not (a JSON <c>null</c> and an absent member are both "not present").
/// </summary>
internal abstract class ChunkPart
{
    private readonly ReadOnlyMemory<byte>[] _texts = new ReadOnlyMemory<byte>[TextSlots.Count];
    private int _present; // one bit per slot

    /// <summary>The slot's text as UTF-8 (empty when absent).</summary>
    public ReadOnlySpan<byte> Text(TextSlot slot) => _texts[(int)slot].Span;

    /// <summary>The slot's text as memory, for the template and snapshots.</summary>
    public ReadOnlyMemory<byte> TextMemory(TextSlot slot) => _texts[(int)slot];

    /// <summary>Whether the chunk carried the slot's member with a value (possibly empty).</summary>
    public bool Has(TextSlot slot) => (_present & (1 << (int)slot)) != 0;

    /// <summary>The slot's text as a string, or null when absent. Allocates.</summary>
    public string? String(TextSlot slot) => Has(slot) ? Encoding.UTF8.GetString(Text(slot)) : null;

    public void SetText(TextSlot slot, ReadOnlyMemory<byte> text)
    {
        _texts[(int)slot] = text;
        _present |= 1 << (int)slot;
    }

    /// <summary>Bytes of the counted slots (<see cref="TextSlots.FirstCounted"/> on): what the stream's budget adds up.</summary>
    public long CountedBytes()
    {
        long bytes = 0;
        for (int slot = (int)TextSlots.FirstCounted; slot < TextSlots.Count; slot++)
            bytes += _texts[slot].Length;
        return bytes;
    }

    /// <summary>Whether every counted slot is valid UTF-8 (the reader slices strings without transcoding them).</summary>
    public bool CountedTextIsUtf8()
    {
        for (int slot = (int)TextSlots.FirstCounted; slot < TextSlots.Count; slot++)
        {
            if (!Utf8.IsValid(_texts[slot].Span))
                return false;
        }
        return true;
    }

    protected void ClearTexts()
    {
        if (_present == 0)
            return;
        Array.Clear(_texts);
        _present = 0;
    }

    /// <summary>Copies the present texts into <paramref name="copy"/>, each into an array of its own.</summary>
    protected void CopyTextsTo(ChunkPart copy)
    {
        for (int slot = 0; slot < TextSlots.Count; slot++)
        {
            if (Has((TextSlot)slot))
                copy.SetText((TextSlot)slot, _texts[slot].ToArray());
        }
    }
}
