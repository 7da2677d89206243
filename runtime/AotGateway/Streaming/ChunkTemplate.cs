using System;
using System.Diagnostics;

namespace AotGateway;

/// <summary>
/// Within one stream, servers write chunk after chunk that differ only in a few values: the text of the delta, a
/// log-probability object, padding such as OpenAI's <c>obfuscation</c>. The bytes around those values, and so the
/// shape of the update, repeat exactly. After the fast path has read a chunk in full, this keeps its bytes outside
/// the values that vary (the <em>segments</em>), the update's shape, and where each slot's text came from (a value
/// that varies, or a fixed piece of a segment). A later chunk whose bytes are the same segments with valid values
/// between them is the same JSON with other values, so it reads to the same update with other texts: checking it
/// takes a few vectorised compares and a scan of each value instead of a walk through every token.
/// </summary>
/// <remarks>
/// Only values that never steer the reader vary: <see cref="MemberKind.Text"/> strings, <see cref="MemberKind.RawObject"/>
/// objects, and strings of members the reader skips. Role, finish reason, <c>object</c>, indexes and the header stay
/// in the segments: when they change, the template does not match and the chunk is read in full (and becomes the
/// template).
/// </remarks>
internal sealed class ChunkTemplate
{
    // Bounds that keep the template small; real chunks need a fraction of each.
    private const int MaxSegmentBytes = 2048;
    private const int MaxValues = 16;
    private const int MaxSlotTexts = 48;
    private const int MaxChoices = 8;
    private const int MaxToolCalls = 16;

    /// <summary>A value that varies: a string's text between its quotes, or a raw object.</summary>
    private struct VariableValue
    {
        public TextSlot? Slot; // null: a skipped member's string, checked then dropped
        public bool Raw;
        public int Choice;
        public int ToolCall;
        public int Start;
        public int Length;
    }

    // A slice of the chunk that lies inside one segment: the same bytes, wherever that segment starts.
    private readonly struct Piece(int segment, int offset, int length)
    {
        public readonly int Segment = segment;
        public readonly int Offset = offset;
        public readonly int Length = length;
    }

    /// <summary>Where one slot of the update takes its text from.</summary>
    private struct SlotText
    {
        public TextSlot Slot;
        public int Choice;   // -1: the chunk's header
        public int ToolCall; // -1: the choice itself
        public int Value;    // the varying value, or -1 for Fixed
        public Piece Fixed;
    }

    private struct ChoiceShape
    {
        public int Index;
        public ChatRole? Role;
        public string? FinishReason;
        public int ToolCallCount;
    }

    // Misses in a row, and chunks left before the template is tried (and a chunk remembered) again.
    private int _misses;
    private int _resting;

    // Recording, while the fast path reads a chunk in full.
    private readonly VariableValue[] _recorded = new VariableValue[MaxValues];
    private int _recordedCount;
    private bool _recordable;
    private int _choice;
    private int _toolCall;

    // The template: segments back to back, each one's end, the values between them, the slots and the shape.
    private byte[] _segments = new byte[512];
    private readonly int[] _segmentEnds = new int[MaxValues + 1];
    private readonly VariableValue[] _values = new VariableValue[MaxValues];
    private int _valueCount;
    private SlotText[] _slotTexts = new SlotText[8]; // grows to MaxSlotTexts: a chunk has a handful
    private int _slotTextCount;
    private bool _isSet;
    private long? _created;
    private readonly ChoiceShape[] _choices = new ChoiceShape[MaxChoices];
    private int _choiceCount;
    private readonly int[] _toolCallIndexes = new int[MaxToolCalls];

    /// <summary>The reader added a choice: values from here on belong to it.</summary>
    public void OnChoice()
    {
        _choice++;
        _toolCall = -1;
    }

    /// <summary>The reader added a tool call to the current choice.</summary>
    public void OnToolCall() => _toolCall++;

    /// <summary>
    /// Records a value that varies: a string's text (between its quotes) stored in <paramref name="slot"/> (null for
    /// a skipped member's), or with <paramref name="raw"/> a whole JSON object.
    /// </summary>
    public void Record(TextSlot? slot, int start, int length, bool raw = false)
    {
        if (!_recordable)
            return;
        if (_recordedCount == MaxValues || _choice >= MaxChoices)
        {
            _recordable = false;
            return;
        }
        if (slot is not null)
        {
            // A slot written twice (duplicate members) keeps its last value; the template keeps one of each.
            for (int i = 0; i < _recordedCount; i++)
            {
                ref VariableValue earlier = ref _recorded[i];
                if (earlier.Slot == slot && earlier.Choice == _choice && earlier.ToolCall == _toolCall)
                {
                    _recordable = false;
                    return;
                }
            }
        }
        _recorded[_recordedCount++] = new VariableValue { Slot = slot, Raw = raw, Choice = _choice, ToolCall = _toolCall, Start = start, Length = length };
    }

    /// <summary>
    /// Makes the chunk just read in full, into <paramref name="update"/>, the template, if it can be one. Its update
    /// must hold no usage (a last chunk), and every text that does not vary must lie in the payload's bytes (not
    /// unescaped into the scratch).
    /// </summary>
    public void Remember(ReadOnlySpan<byte> payload, ChunkData update)
    {
        _isSet = false;
        if (!_recordable || update.Usage is not null || update.Choices.Length > MaxChoices)
            return;

        int segmentBytes = payload.Length;
        for (int i = 0; i < _recordedCount; i++)
            segmentBytes -= _recorded[i].Length;
        if (segmentBytes > MaxSegmentBytes)
            return;
        if (segmentBytes > _segments.Length)
            _segments = new byte[MaxSegmentBytes];

        int segmentStart = 0;
        int written = 0;
        for (int i = 0; i < _recordedCount; i++)
        {
            VariableValue value = _recorded[i];
            // The reader records values in payload order. A string's segments end with its opening quote and start
            // with its closing one, which TryApplyCore relies on; a raw value's segments end and start at its edges.
            Debug.Assert(value.Start > segmentStart && (value.Raw || (payload[value.Start - 1] == (byte)'"' && payload[value.Start + value.Length] == (byte)'"')));
            int segmentLength = value.Start - segmentStart;
            payload.Slice(segmentStart, segmentLength).CopyTo(_segments.AsSpan(written));
            written += segmentLength;
            _segmentEnds[i] = written;
            _values[i] = value;
            segmentStart = value.Start + value.Length;
        }
        payload[segmentStart..].CopyTo(_segments.AsSpan(written));
        _segmentEnds[_recordedCount] = written + payload.Length - segmentStart;
        _valueCount = _recordedCount;

        _slotTextCount = 0;
        _created = update.CreatedUnixSeconds;
        if (!TryRememberTexts(payload, update, -1, -1))
            return;
        int toolCalls = 0;
        ReadOnlySpan<ChoiceData> choices = update.Choices;
        for (int c = 0; c < choices.Length; c++)
        {
            ChoiceData choice = choices[c];
            ReadOnlySpan<ToolCallData> calls = choice.ToolCalls;
            if (toolCalls + calls.Length > MaxToolCalls || !TryRememberTexts(payload, choice, c, -1))
                return;
            _choices[c] = new ChoiceShape { Index = choice.Index, Role = choice.Role, FinishReason = choice.FinishReason, ToolCallCount = calls.Length };
            for (int t = 0; t < calls.Length; t++)
            {
                if (!TryRememberTexts(payload, calls[t], c, t))
                    return;
                _toolCallIndexes[toolCalls++] = calls[t].Index;
            }
        }
        _choiceCount = choices.Length;
        _isSet = true;
    }

    /// <summary>Where each text of one part comes from: a value that varies, or a fixed piece of a segment.</summary>
    private bool TryRememberTexts(ReadOnlySpan<byte> payload, ChunkPart part, int choice, int toolCall)
    {
        for (int s = 0; s < TextSlots.Count; s++)
        {
            var slot = (TextSlot)s;
            if (!part.Has(slot))
                continue; // a slot of another level is never present here
            if (_slotTextCount == _slotTexts.Length)
            {
                if (_slotTextCount == MaxSlotTexts)
                    return false;
                Array.Resize(ref _slotTexts, Math.Min(MaxSlotTexts, _slotTexts.Length * 2));
            }
            int value = Varying(slot, choice, toolCall);
            Piece piece = default;
            if (value < 0 && !TryLocate(payload, part.Text(slot), out piece))
                return false;
            _slotTexts[_slotTextCount++] = new SlotText { Slot = slot, Choice = choice, ToolCall = toolCall, Value = value, Fixed = piece };
        }
        return true;
    }

    private int Varying(TextSlot slot, int choice, int toolCall)
    {
        for (int i = 0; i < _valueCount; i++)
        {
            ref VariableValue value = ref _values[i];
            if (value.Slot == slot && value.Choice == choice && value.ToolCall == toolCall)
                return i;
        }
        return -1;
    }

    /// <summary>
    /// A new chunk: recording of what the fast path reads starts over (so <see cref="Remember"/> can make the chunk
    /// the template), unless the template is resting. Returns whether to try the template on this chunk.
    /// </summary>
    public bool BeginChunk()
    {
        _recordedCount = 0;
        _choice = -1;
        _toolCall = -1;
        if (_resting > 0)
        {
            _resting--;
            _recordable = false;
            return false;
        }
        _recordable = true;
        return _isSet;
    }

    /// <summary>
    /// Reads <paramref name="payload"/> into <paramref name="update"/> (already reset) if it is the template's
    /// segments with valid values between them; otherwise leaves the update alone and answers false.
    /// </summary>
    public bool TryApply(ReadOnlyMemory<byte> payload, ChunkData update, ChunkScratch scratch)
    {
        if (!TryApplyCore(payload, update, scratch))
        {
            // Some streams never repeat: after a few misses in a row, rest for a growing number of chunks rather
            // than remember every one.
            _misses++;
            if (_misses >= 4)
                _resting = 1 << Math.Min(_misses - 4, 6);
            return false;
        }
        _misses = 0;
        return true;
    }

    private bool TryApplyCore(ReadOnlyMemory<byte> payload, ChunkData update, ChunkScratch scratch)
    {
        Debug.Assert(MaxValues <= 64, "escapedValues is a 64-bit mask");
        Debug.Assert(update.Choices.Length == 0, "TryApply is given a reset update");
        ReadOnlySpan<byte> json = payload.Span;
        Span<int> segmentStarts = stackalloc int[MaxValues + 1];
        Span<int> valueStarts = stackalloc int[MaxValues];
        Span<int> valueLengths = stackalloc int[MaxValues];
        ulong escapedValues = 0;

        int position = 0;
        int segmentStart = 0;
        for (int i = 0; i < _valueCount; i++)
        {
            ReadOnlySpan<byte> segment = _segments.AsSpan(segmentStart, _segmentEnds[i] - segmentStart);
            if (!json[position..].StartsWith(segment))
                return false;
            segmentStarts[i] = position;
            position += segment.Length;
            segmentStart = _segmentEnds[i];
            int start, length;
            if (_values[i].Raw)
            {
                // A raw value's segment ends where the object starts.
                var scanner = new JsonScanner(json, position);
                if (scanner.Peek() != (byte)'{' || !scanner.TrySkipValue(out start, out int end))
                    return false;
                length = end - start;
            }
            else
            {
                // A string's segment ends with its opening quote; the next one starts with its closing quote.
                var scanner = new JsonScanner(json, position - 1);
                if (!scanner.TryReadString(out start, out length, out bool escaped))
                    return false;
                if (escaped)
                    escapedValues |= 1UL << i;
            }
            valueStarts[i] = start;
            valueLengths[i] = length;
            position = start + length;
        }
        if (!json[position..].SequenceEqual(_segments.AsSpan(segmentStart, _segmentEnds[_valueCount] - segmentStart)))
            return false;
        segmentStarts[_valueCount] = position;

        update.CreatedUnixSeconds = _created;
        int toolCall = 0;
        for (int c = 0; c < _choiceCount; c++)
        {
            ref ChoiceShape shape = ref _choices[c];
            ChoiceData choice = update.AddChoice();
            choice.Index = shape.Index;
            choice.Role = shape.Role;
            choice.FinishReason = shape.FinishReason;
            for (int t = 0; t < shape.ToolCallCount; t++)
                choice.AddToolCall().Index = _toolCallIndexes[toolCall++];
        }

        for (int i = 0; i < _slotTextCount; i++)
        {
            ref SlotText text = ref _slotTexts[i];
            ReadOnlyMemory<byte> value;
            if (text.Value < 0)
                value = Slice(payload, segmentStarts, text.Fixed);
            else if ((escapedValues & (1UL << text.Value)) != 0)
                value = scratch.Unescape(json, valueStarts[text.Value], valueLengths[text.Value]);
            else
                value = payload.Slice(valueStarts[text.Value], valueLengths[text.Value]);
            // Texts were remembered inside the choices and tool calls the shape replays, so their indexes exist.
            ChunkPart part = text.Choice < 0 ? update
                : text.ToolCall < 0 ? update.Choices[text.Choice]
                : update.Choices[text.Choice].ToolCalls[text.ToolCall];
            part.SetText(text.Slot, value);
        }
        return true;
    }

    /// <summary>Finds which segment of the chunk being remembered holds <paramref name="slice"/>.</summary>
    private bool TryLocate(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> slice, out Piece piece)
    {
        piece = default;
        if (slice.IsEmpty)
            return true;
        // A slice outside the payload was unescaped into the scratch: not a fixed piece of the bytes.
        if (!payload.Overlaps(slice, out int offset))
            return false;
        int segmentStart = 0;
        int valueEnd = 0;
        for (int i = 0; i <= _valueCount; i++)
        {
            int segmentLength = _segmentEnds[i] - segmentStart;
            if (offset >= valueEnd && offset + slice.Length <= valueEnd + segmentLength)
            {
                piece = new Piece(i, offset - valueEnd, slice.Length);
                return true;
            }
            if (i < _valueCount)
                valueEnd = _values[i].Start + _values[i].Length;
            segmentStart = _segmentEnds[i];
        }
        return false;
    }

    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> payload, ReadOnlySpan<int> segmentStarts, Piece piece) =>
        piece.Length == 0 ? ReadOnlyMemory<byte>.Empty : payload.Slice(segmentStarts[piece.Segment] + piece.Offset, piece.Length);
}
