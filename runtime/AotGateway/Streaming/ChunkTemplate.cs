using System;
using System.Diagnostics;

namespace AotGateway;

/// <summary>
/// Within one stream, servers write chunk after chunk that differ only inside a few strings: the text of the
/// delta (and things like OpenAI's <c>obfuscation</c> padding). The bytes around those strings, and so the
/// shape of the update, repeat exactly. After the fast path has read a chunk in full, this keeps its bytes
/// outside the strings it recorded (the <em>segments</em>) and what the chunk produced apart from those strings.
/// A later chunk whose bytes are the same segments with any valid JSON strings between them is the same JSON
/// with other string values, so it reads to the same update with other text: checking it takes a few
/// vectorised compares and a scan of each string instead of a walk through every token.
/// </summary>
/// <remarks>
/// Only strings whose value never steers the reader are variable (texts the update hands out as slices, and
/// values of unknown members). Role, finish reason, <c>object</c> and the header fields stay in the segments:
/// when they change, the template does not match and the chunk is read in full (and becomes the template).
/// </remarks>
internal sealed class ChunkTemplate
{
    /// <summary>Where the value of a recorded string goes.</summary>
    public enum Slot : byte
    {
        /// <summary>The value of a member the reader skips: checked, then dropped.</summary>
        Unused,
        Content,
        Reasoning,
        Refusal,
        ToolCallId,
        ToolCallName,
        ToolCallArguments,
    }

    // Bounds that keep the template small; real chunks need a fraction of each.
    private const int MaxSegmentBytes = 2048;
    private const int MaxStrings = 16;
    private const int MaxChoices = 8;
    private const int MaxToolCalls = 16;

    private struct RecordedString
    {
        public Slot Slot;
        public int Choice;
        public int ToolCall;
        public int Start; // -1 for a null (recorded only so a slot written twice is noticed)
        public int Length;
    }

    // A slice of the chunk that lies inside one segment: the same bytes, wherever that segment starts.
    private readonly struct Piece(int segment, int offset, int length)
    {
        public readonly int Segment = segment;
        public readonly int Offset = offset;
        public readonly int Length = length;
    }

    private struct ChoiceShape
    {
        public int Index;
        public ChatRole? Role;
        public string? FinishReason;
        public Piece Logprobs;
        public int ToolCallCount;
    }

    // Misses in a row, and chunks left before the template is tried (and a chunk remembered) again.
    private int _misses;
    private int _resting;

    // Recording, while the fast path reads a chunk in full.
    private readonly RecordedString[] _recorded = new RecordedString[MaxStrings];
    private int _recordedCount;
    private bool _recordable;
    private int _choice;
    private int _toolCall;

    // The template: segments back to back, each one's end, the strings between them, and the update's shape.
    private byte[] _segments = new byte[512];
    private readonly int[] _segmentEnds = new int[MaxStrings + 1];
    private readonly RecordedString[] _strings = new RecordedString[MaxStrings];
    private int _stringCount;
    private bool _isSet;
    private Piece _id, _model, _fingerprint, _tier;
    private long? _created;
    private readonly ChoiceShape[] _choices = new ChoiceShape[MaxChoices];
    private int _choiceCount;
    private readonly int[] _toolCallIndexes = new int[MaxToolCalls];

    /// <summary>The reader added a choice: strings from here on belong to it.</summary>
    public void OnChoice()
    {
        _choice++;
        _toolCall = -1;
    }

    /// <summary>The reader added a tool call to the current choice.</summary>
    public void OnToolCall() => _toolCall++;

    /// <summary>
    /// Records a string value (its text between the quotes) or, with <paramref name="start"/> -1, a null that
    /// the reader stored in <paramref name="slot"/>.
    /// </summary>
    public void Record(Slot slot, int start, int length)
    {
        if (!_recordable)
            return;
        if (_recordedCount == MaxStrings || _choice >= MaxChoices)
        {
            _recordable = false;
            return;
        }
        if (slot != Slot.Unused)
        {
            // A slot written twice (duplicate members) keeps its last value; the template keeps one of each.
            for (int i = 0; i < _recordedCount; i++)
            {
                ref RecordedString earlier = ref _recorded[i];
                if (earlier.Slot == slot && earlier.Choice == _choice && earlier.ToolCall == _toolCall)
                {
                    _recordable = false;
                    return;
                }
            }
        }
        _recorded[_recordedCount++] = new RecordedString { Slot = slot, Choice = _choice, ToolCall = _toolCall, Start = start, Length = length };
    }

    /// <summary>
    /// Makes the chunk just read in full, into <paramref name="update"/>, the template, if it can be one. Its
    /// update must hold no usage (a last chunk) and no header text from the scratch (escaped header strings).
    /// </summary>
    public void Remember(ReadOnlySpan<byte> payload, ChunkData update)
    {
        _isSet = false;
        if (!_recordable || update.Usage is not null || update.Choices.Length > MaxChoices)
            return;

        int segmentBytes = payload.Length;
        for (int i = 0; i < _recordedCount; i++)
        {
            if (_recorded[i].Start >= 0)
                segmentBytes -= _recorded[i].Length;
        }
        if (segmentBytes > MaxSegmentBytes)
            return;
        if (segmentBytes > _segments.Length)
            _segments = new byte[MaxSegmentBytes];

        int stringCount = 0;
        int segmentStart = 0;
        int written = 0;
        for (int i = 0; i < _recordedCount; i++)
        {
            RecordedString s = _recorded[i];
            if (s.Start < 0)
                continue;
            // The reader records strings in payload order, each between its quotes: segments then end with an
            // opening quote and start with a closing one, which TryApplyCore relies on.
            Debug.Assert(s.Start > segmentStart && payload[s.Start - 1] == (byte)'"' && payload[s.Start + s.Length] == (byte)'"');
            int segmentLength = s.Start - segmentStart;
            payload.Slice(segmentStart, segmentLength).CopyTo(_segments.AsSpan(written));
            written += segmentLength;
            _segmentEnds[stringCount] = written;
            _strings[stringCount++] = s;
            segmentStart = s.Start + s.Length;
        }
        payload[segmentStart..].CopyTo(_segments.AsSpan(written));
        _segmentEnds[stringCount] = written + payload.Length - segmentStart;
        _stringCount = stringCount;

        if (!TryLocate(payload, update.IdMemory.Span, out _id)
            || !TryLocate(payload, update.ModelMemory.Span, out _model)
            || !TryLocate(payload, update.SystemFingerprintMemory.Span, out _fingerprint)
            || !TryLocate(payload, update.ServiceTierMemory.Span, out _tier))
        {
            return;
        }
        _created = update.CreatedUnixSeconds;

        int toolCalls = 0;
        ReadOnlySpan<ChoiceData> choices = update.Choices;
        for (int c = 0; c < choices.Length; c++)
        {
            ChoiceData choice = choices[c];
            ReadOnlySpan<ToolCallData> calls = choice.ToolCalls;
            if (toolCalls + calls.Length > MaxToolCalls || !TryLocate(payload, choice.LogprobsMemory.Span, out Piece logprobs))
                return;
            _choices[c] = new ChoiceShape { Index = choice.Index, Role = choice.Role, FinishReason = choice.FinishReason, Logprobs = logprobs, ToolCallCount = calls.Length };
            foreach (ToolCallData call in calls)
                _toolCallIndexes[toolCalls++] = call.Index;
        }
        _choiceCount = choices.Length;
        _isSet = true;
    }

    /// <summary>
    /// Reads <paramref name="payload"/> into <paramref name="update"/> (already reset) if it is the template's
    /// segments with valid strings between them. Otherwise it leaves the update alone, answers false, and
    /// records what the fast path reads of the chunk next, so <see cref="Remember"/> can make it the template.
    /// </summary>
    public bool TryApply(ReadOnlyMemory<byte> payload, ChunkData update, ChunkScratch scratch)
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
        if (!_isSet)
            return false;
        if (!TryApplyCore(payload, update, scratch))
        {
            // Some streams never repeat (with logprobs, each chunk carries per-token strings outside its texts):
            // after a few misses in a row, rest for a growing number of chunks rather than remember every one.
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
        Debug.Assert(MaxStrings <= 64, "escapedStrings is a 64-bit mask");
        Debug.Assert(update.Choices.Length == 0, "TryApply is given a reset update");
        ReadOnlySpan<byte> json = payload.Span;
        Span<int> segmentStarts = stackalloc int[MaxStrings + 1];
        Span<int> stringStarts = stackalloc int[MaxStrings];
        Span<int> stringLengths = stackalloc int[MaxStrings];
        ulong escapedStrings = 0;

        int position = 0;
        int segmentStart = 0;
        for (int i = 0; i < _stringCount; i++)
        {
            ReadOnlySpan<byte> segment = _segments.AsSpan(segmentStart, _segmentEnds[i] - segmentStart);
            if (!json[position..].StartsWith(segment))
                return false;
            segmentStarts[i] = position;
            position += segment.Length;
            segmentStart = _segmentEnds[i];
            // The segment ends with the string's opening quote; the next one starts with its closing quote.
            var scanner = new JsonScanner(json, position - 1);
            if (!scanner.TryReadString(out int start, out int length, out bool escaped))
                return false;
            stringStarts[i] = start;
            stringLengths[i] = length;
            if (escaped)
                escapedStrings |= 1UL << i;
            position = start + length;
        }
        if (!json[position..].SequenceEqual(_segments.AsSpan(segmentStart, _segmentEnds[_stringCount] - segmentStart)))
            return false;
        segmentStarts[_stringCount] = position;

        update.IdMemory = Slice(payload, segmentStarts, _id);
        update.ModelMemory = Slice(payload, segmentStarts, _model);
        update.SystemFingerprintMemory = Slice(payload, segmentStarts, _fingerprint);
        update.ServiceTierMemory = Slice(payload, segmentStarts, _tier);
        update.CreatedUnixSeconds = _created;
        int toolCall = 0;
        for (int c = 0; c < _choiceCount; c++)
        {
            ref ChoiceShape shape = ref _choices[c];
            ChoiceData choice = update.AddChoice();
            choice.Index = shape.Index;
            choice.Role = shape.Role;
            choice.FinishReason = shape.FinishReason;
            choice.LogprobsMemory = Slice(payload, segmentStarts, shape.Logprobs);
            for (int t = 0; t < shape.ToolCallCount; t++)
                choice.AddToolCall().Index = _toolCallIndexes[toolCall++];
        }

        for (int i = 0; i < _stringCount; i++)
        {
            ref RecordedString s = ref _strings[i];
            if (s.Slot == Slot.Unused)
                continue;
            ReadOnlyMemory<byte> text = (escapedStrings & (1UL << i)) != 0
                ? scratch.Unescape(json, stringStarts[i], stringLengths[i])
                : payload.Slice(stringStarts[i], stringLengths[i]);
            // Strings were recorded inside the choices and tool calls the shape replays, so their indexes exist.
            Debug.Assert(s.Choice < update.Choices.Length && (s.Slot < Slot.ToolCallId || s.ToolCall < update.Choices[s.Choice].ToolCalls.Length));
            ChoiceData choice = update.Choices[s.Choice];
            switch (s.Slot)
            {
                case Slot.Content:
                    choice.ContentMemory = text;
                    choice.HasContentValue = true;
                    break;
                case Slot.Reasoning:
                    choice.ReasoningMemory = text;
                    choice.HasReasoningValue = true;
                    break;
                case Slot.Refusal:
                    choice.RefusalMemory = text;
                    choice.HasRefusalValue = true;
                    break;
                case Slot.ToolCallId:
                    ToolCallData idCall = choice.ToolCalls[s.ToolCall];
                    idCall.IdMemory = text;
                    idCall.HasIdValue = true;
                    break;
                case Slot.ToolCallName:
                    ToolCallData nameCall = choice.ToolCalls[s.ToolCall];
                    nameCall.NameMemory = text;
                    nameCall.HasNameValue = true;
                    break;
                case Slot.ToolCallArguments:
                    choice.ToolCalls[s.ToolCall].ArgumentsMemory = text;
                    break;
            }
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
        int stringEnd = 0;
        for (int i = 0; i <= _stringCount; i++)
        {
            int segmentLength = _segmentEnds[i] - segmentStart;
            if (offset >= stringEnd && offset + slice.Length <= stringEnd + segmentLength)
            {
                piece = new Piece(i, offset - stringEnd, slice.Length);
                return true;
            }
            if (i < _stringCount)
                stringEnd = _strings[i].Start + _strings[i].Length;
            segmentStart = _segmentEnds[i];
        }
        return false;
    }

    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> payload, ReadOnlySpan<int> segmentStarts, Piece piece) =>
        piece.Length == 0 ? default : payload.Slice(segmentStarts[piece.Segment] + piece.Offset, piece.Length);
}
