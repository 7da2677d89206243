using System;
using System.Numerics;
using System.Text;
using System.Text.Unicode;

namespace AotGateway;

/// <summary>
/// The texts one part of a chunk (the chunk, a choice, a tool call) holds, by <see cref="TextSlot"/>: UTF-8 slices
/// of the stream's buffers, each present or not (a JSON <c>null</c> and an absent member are both "not present").
/// </summary>
internal abstract class ChunkPart
{
    // The slots a reply is made of (TextSlots.FirstCounted on), as a mask of present bits.
    private const int CountedSlots = (1 << TextSlots.Count) - (1 << (int)TextSlots.FirstCounted);

    private readonly ReadOnlyMemory<byte>[] _texts; // the slots of this part's level only, from _first
    private readonly int _first;
    private int _present; // one bit per slot; only present slots are ever visited (a chunk carries one to four)

    /// <summary>A part holding the slots <paramref name="first"/> to <paramref name="last"/>: one level's.</summary>
    protected ChunkPart(TextSlot first, TextSlot last)
    {
        _first = (int)first;
        _texts = new ReadOnlyMemory<byte>[last - first + 1];
    }

    /// <summary>The slot's text as UTF-8 (empty when absent). The slot must be of this part's level.</summary>
    public ReadOnlySpan<byte> Text(TextSlot slot) => _texts[(int)slot - _first].Span;

    /// <summary>Whether the chunk carried the slot's member with a value (possibly empty).</summary>
    public bool Has(TextSlot slot) => (_present & (1 << (int)slot)) != 0;

    /// <summary>The slot's text as a string, or null when absent. Allocates.</summary>
    public string? String(TextSlot slot) => Has(slot) ? Encoding.UTF8.GetString(Text(slot)) : null;

    public void SetText(TextSlot slot, ReadOnlyMemory<byte> text)
    {
        _texts[(int)slot - _first] = text;
        _present |= 1 << (int)slot;
    }

    /// <summary>Bytes of the counted slots (<see cref="TextSlots.FirstCounted"/> on): what the stream's budget adds up.</summary>
    public long CountedBytes()
    {
        long bytes = 0;
        for (int present = _present & CountedSlots; present != 0; present &= present - 1)
            bytes += _texts[BitOperations.TrailingZeroCount(present) - _first].Length;
        return bytes;
    }

    /// <summary>Whether every counted slot is valid UTF-8 (the reader slices strings without transcoding them).</summary>
    public bool CountedTextIsUtf8()
    {
        for (int present = _present & CountedSlots; present != 0; present &= present - 1)
        {
            if (!Utf8.IsValid(_texts[BitOperations.TrailingZeroCount(present) - _first].Span))
                return false;
        }
        return true;
    }

    protected void ClearTexts()
    {
        for (int present = _present; present != 0; present &= present - 1)
            _texts[BitOperations.TrailingZeroCount(present) - _first] = default;
        _present = 0;
    }

    /// <summary>Copies the present texts into <paramref name="copy"/>, each into an array of its own.</summary>
    protected void CopyTextsTo(ChunkPart copy)
    {
        for (int present = _present; present != 0; present &= present - 1)
        {
            int slot = BitOperations.TrailingZeroCount(present);
            copy.SetText((TextSlot)slot, _texts[slot - _first].ToArray());
        }
    }
}
