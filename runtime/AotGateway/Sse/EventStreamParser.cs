using System;
using System.Buffers;
using System.Buffers.Text;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// The WHATWG event-stream rules over bytes it is handed, in the style of Kestrel's HTTP parser: a sequence in
/// (<see cref="SetInput"/>), events out (<see cref="TryReadEvent"/>), and the positions the owner may advance its
/// pipe to (<see cref="TryRelease"/>). It never reads or advances a pipe. An event's data is a slice of the input
/// when it lies in one segment and one line, else it is joined in a pooled buffer; either way it is valid until
/// the next call.
/// </summary>
internal sealed class EventStreamParser : IDisposable
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly int _maxEventBytes;

    // The input: the bytes of the last read from the last position released, and how far parsing has got.
    private ReadOnlySequence<byte> _buffer;
    private ReadOnlyMemory<byte> _first; // _buffer.First, kept: the sequence finds it again with type checks each time
    private bool _singleSegment;         // _buffer.IsSingleSegment, kept for the same reason
    private long _consumed;
    private bool _hasInput;
    private bool _isFinalBlock;
    private bool _finished;
    private bool _atStreamStart = true;
    private bool _skipLeadingLf;
    private long _incompleteLineScanned;

    // The event being assembled; after dispatch, the event being shown, until the next call.
    private bool _dispatched;
    private int _dataLines;
    private ReadOnlyMemory<byte> _firstData;
    private bool _dataCopied;
    private readonly PooledBufferWriter _data = new(1024);
    private readonly PooledBufferWriter _lineScratch = new(256);
    private byte[] _eventType = new byte[32];
    private int _eventTypeLength = -1;
    private byte[] _lastEventId = new byte[32];
    private int _lastEventIdLength;
    private bool _idInEvent;
    private long _eventBytes;
    private ReadOnlyMemory<byte> _current;

    public EventStreamParser(int maxEventBytes) => _maxEventBytes = maxEventBytes;

    /// <summary>The current event's data (its <c>data</c> lines joined with LF).</summary>
    public ReadOnlyMemory<byte> Data => _current;

    /// <summary>Whether the current event named a type with an <c>event</c> field.</summary>
    public bool HasEventType => _eventTypeLength >= 0;

    /// <summary>The current event's type, or empty when it named none.</summary>
    public ReadOnlySpan<byte> EventType => _eventTypeLength >= 0 ? _eventType.AsSpan(0, _eventTypeLength) : default;

    /// <summary>Whether the current event carried an <c>id</c> field.</summary>
    public bool HasId => _idInEvent;

    /// <summary>The last event id the stream set (it persists across events, per the spec).</summary>
    public ReadOnlySpan<byte> LastEventId => _lastEventId.AsSpan(0, _lastEventIdLength);

    /// <summary>The reconnection time in milliseconds the current event set, if it did.</summary>
    public long? ReconnectionTime { get; private set; }

    /// <summary>Whether every byte handed in is consumed (nothing to look at before the next read).</summary>
    public bool IsDrained => !_hasInput || (_singleSegment && _consumed == _first.Length);

    /// <summary>The bytes of a read, starting where the last <see cref="TryRelease"/> said; final when the stream ended.</summary>
    public void SetInput(in ReadOnlySequence<byte> buffer, bool isFinalBlock)
    {
        _buffer = buffer;
        _first = buffer.First;
        _singleSegment = buffer.IsSingleSegment;
        _consumed = 0;
        _hasInput = true;
        _isFinalBlock = isFinalBlock;
    }

    /// <summary>Moves to the next event that is whole in the input; never waits.</summary>
    public bool TryReadEvent()
    {
        if (_dispatched)
            ResetEvent();
        if (IsDrained)
            return false;
        if ((_atStreamStart || _skipLeadingLf) && !TrySkipPrologue())
            return false;
        if (TryReadDataOnlyEvent())
            return true;
        while (NextLine(out ReadOnlyMemory<byte> line, out bool inScratch))
        {
            if (ProcessLine(line, inScratch))
                return true;
        }
        return false;
    }

    /// <summary>
    /// No whole event is left in the input: copies what of the unfinished event still points into it, and says how
    /// far the owner may advance its pipe (<paramref name="consumed"/>; everything was <paramref name="examined"/>).
    /// False when the stream has ended: the spec discards an event left without its blank line, and nothing more
    /// will be read (the positions then release the whole input).
    /// </summary>
    public bool TryRelease(out SequencePosition consumed, out SequencePosition examined)
    {
        examined = _buffer.End;
        if (!_hasInput)
        {
            consumed = examined;
            return !_finished;
        }
        if (_isFinalBlock)
        {
            consumed = examined;
            _finished = true;
        }
        else
        {
            SpillDataFromInput();
            consumed = _buffer.GetPosition(_consumed);
        }
        _hasInput = false;
        _buffer = default;
        _first = default;
        return !_finished;
    }

    /// <summary>The BOM at the very start, and the LF of a CRLF whose CR ended the previous read. False: wait for more data.</summary>
    private bool TrySkipPrologue()
    {
        var reader = new SequenceReader<byte>(_buffer.Slice(_consumed));
        // Spec: a single UTF-8 BOM at the very start of the stream is ignored.
        if (_atStreamStart)
        {
            if (reader.Remaining < Utf8Bom.Length && !_isFinalBlock && Utf8Bom.StartsWith(reader.UnreadSpan))
                return false;
            _atStreamStart = false;
            reader.IsNext(Utf8Bom, advancePast: true);
        }
        // Spec: CRLF is one line end, even when the CR ended the previous read.
        if (_skipLeadingLf && !reader.End)
        {
            _skipLeadingLf = false;
            reader.IsNext((byte)'\n', advancePast: true);
        }
        _consumed += reader.Consumed;
        return true;
    }

    /// <summary>
    /// Comment lines between events (keep-alives such as <c>: ping</c>) and the blank lines after them, skipped
    /// inside the first segment so the event after them still takes the one-pass path. With no event in progress
    /// a comment is ignored and a blank line resets only what is already reset, so skipping them is the line rules'
    /// own result. Called only between events.
    /// </summary>
    private void SkipCommentsBetweenEvents()
    {
        ReadOnlySpan<byte> span = _first.Span;
        int start = (int)_consumed;
        while (start < span.Length && (span[start] == (byte)':' || span[start] == (byte)'\n' || span[start] == (byte)'\r'))
        {
            int end = span[start..].IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
                break;
            end += start;
            int next = end + 1;
            // A CR at the segment's end may be half of a CRLF; its LF, read later, is then one more blank line
            // between events, which changes nothing.
            if (span[end] == (byte)'\r' && next < span.Length && span[next] == (byte)'\n')
                next++;
            start = next;
        }
        _consumed = start;
    }

    /// <summary>
    /// The event nearly every server sends: one <c>data:</c> line and a blank line, ending in LF LF or CRLF CRLF,
    /// all inside the first buffer segment. Read in one pass, it gives what the line-by-line rules give; anything
    /// else (other fields, more lines, a line end at the segment's edge, a partly read event) is left to them.
    /// Keep-alive comments before it are skipped first.
    /// </summary>
    private bool TryReadDataOnlyEvent()
    {
        if (_eventBytes != 0 || _incompleteLineScanned != 0)
            return false;
        SkipCommentsBetweenEvents();
        ReadOnlyMemory<byte> first = _first;
        int start = (int)_consumed;
        if (start >= first.Length)
            return false;
        ReadOnlySpan<byte> span = first.Span[start..];
        if (!span.StartsWith("data:"u8))
            return false;
        int valueStart = span.Length > 5 && span[5] == (byte)' ' ? 6 : 5;
        int end = span[valueStart..].IndexOfAny((byte)'\r', (byte)'\n');
        if (end < 0)
            return false;
        end += valueStart;
        int next;
        if (span[end] == (byte)'\n' && end + 1 < span.Length && span[end + 1] == (byte)'\n')
            next = end + 2;
        else if (span[end..].StartsWith("\r\n\r\n"u8))
            next = end + 4;
        else
            return false;
        // The same count the line rules keep, so the limit holds on both paths.
        if (end + 1 > _maxEventBytes)
            return false;
        _current = first.Slice(start + valueStart, end - valueStart);
        _consumed = start + next;
        _dataLines = 1;
        _dispatched = true;
        return true;
    }

    /// <summary>
    /// Takes the next whole line from the input (spec: lines end with CRLF, LF or CR). The common case, a line
    /// inside the first buffer segment, is found with one vectorised search and sliced without copying; a line
    /// that crosses segments takes the general path and is joined in the line scratch.
    /// </summary>
    private bool NextLine(out ReadOnlyMemory<byte> line, out bool inScratch)
    {
        inScratch = false;
        // Once the first segment is used up, drop it, so the next lines are again in the first segment.
        if (_consumed > 0 && _consumed >= _first.Length && !_singleSegment)
        {
            _buffer = _buffer.Slice(_consumed);
            _first = _buffer.First;
            _singleSegment = _buffer.IsSingleSegment;
            _consumed = 0;
        }
        ReadOnlyMemory<byte> first = _first;
        ReadOnlySpan<byte> span = first.Span;
        int start = (int)_consumed;
        if (start < span.Length)
        {
            int from = start + (int)Math.Min(_incompleteLineScanned, span.Length - start);
            int found = span[from..].IndexOfAny((byte)'\r', (byte)'\n');
            if (found >= 0)
            {
                int end = from + found;
                int next = end + 1;
                bool crAtSegmentEnd = span[end] == (byte)'\r' && next == span.Length;
                if (!crAtSegmentEnd || _singleSegment)
                {
                    if (span[end] == (byte)'\r')
                    {
                        if (crAtSegmentEnd)
                            _skipLeadingLf = true;
                        else if (span[next] == (byte)'\n')
                            next++;
                    }
                    line = first[start..end];
                    _incompleteLineScanned = 0;
                    _consumed = next;
                    return true;
                }
            }
            else if (_singleSegment)
            {
                line = default;
                return WaitForRestOfLine(span.Length - start);
            }
        }
        return NextLineAcrossSegments(out line, out inScratch);
    }

    private bool NextLineAcrossSegments(out ReadOnlyMemory<byte> line, out bool inScratch)
    {
        line = default;
        inScratch = false;
        var reader = new SequenceReader<byte>(_buffer.Slice(_consumed));
        if (reader.End)
            return false;
        if (_incompleteLineScanned > 0)
            reader.Advance(_incompleteLineScanned);
        if (!reader.TryAdvanceToAny("\r\n"u8, advancePastDelimiter: false))
            return WaitForRestOfLine(reader.Length);
        ReadOnlySequence<byte> text = reader.Sequence.Slice(0, reader.Position);
        reader.TryRead(out byte terminator);
        if (terminator == (byte)'\r')
        {
            if (reader.End)
                _skipLeadingLf = true;
            else
                reader.IsNext((byte)'\n', advancePast: true);
        }
        _incompleteLineScanned = 0;
        _consumed += reader.Consumed;
        if (text.IsSingleSegment)
        {
            line = text.First;
        }
        else
        {
            _lineScratch.Clear();
            foreach (ReadOnlyMemory<byte> segment in text)
                _lineScratch.Write(segment.Span);
            line = _lineScratch.WrittenMemory;
            inScratch = true;
        }
        return true;
    }

    /// <summary>An unfinished line: remember how much was searched, and refuse one that outgrows the event limit.</summary>
    private bool WaitForRestOfLine(long pending)
    {
        if (_eventBytes + pending > _maxEventBytes)
            throw TooLarge();
        _incompleteLineScanned = pending;
        return false;
    }

    /// <summary>Data still pointing into the input must be copied before the owner hands those bytes back.</summary>
    private void SpillDataFromInput()
    {
        if (_dataLines > 0)
            CopyFirstData();
    }

    /// <summary>The event's data moves to the pooled buffer (once): it spans lines, or its bytes are about to go back.</summary>
    private void CopyFirstData()
    {
        if (_dataCopied)
            return;
        _data.Clear();
        _data.Write(_firstData.Span); // empty before the first data line
        _dataCopied = true;
        _firstData = default;
    }

    private bool ProcessLine(ReadOnlyMemory<byte> memory, bool inScratch)
    {
        ReadOnlySpan<byte> span = memory.Span;

        // Spec: a blank line dispatches the event; with no data, it only resets the event type.
        if (span.IsEmpty)
        {
            if (_dataLines == 0)
            {
                _eventTypeLength = -1;
                _idInEvent = false;
                ReconnectionTime = null;
                _eventBytes = 0;
                return false;
            }
            _current = _dataCopied ? _data.WrittenMemory : _firstData;
            _dispatched = true;
            return true;
        }

        // Spec: a line starting with a colon is a comment.
        if (span[0] == (byte)':')
            return false;

        // Spec: the field name runs to the first colon; one space after the colon is dropped; no colon means an empty value.
        int colon = span.IndexOf((byte)':');
        ReadOnlySpan<byte> field = colon < 0 ? span : span[..colon];
        int valueStart = colon < 0 ? span.Length : colon + 1;
        if (valueStart < span.Length && span[valueStart] == (byte)' ')
            valueStart++;
        ReadOnlyMemory<byte> value = memory[valueStart..];

        _eventBytes += span.Length + 1;
        if (_eventBytes > _maxEventBytes)
            throw TooLarge();

        if (field.SequenceEqual("data"u8))
        {
            // Spec: data lines are joined with a single LF.
            if (_dataLines == 0 && !inScratch)
            {
                _firstData = value;
            }
            else
            {
                CopyFirstData();
                if (_dataLines > 0)
                    _data.Write("\n"u8);
                _data.Write(value.Span);
            }
            _dataLines++;
        }
        else if (field.SequenceEqual("event"u8))
        {
            CopyInto(ref _eventType, value.Span);
            _eventTypeLength = value.Length;
        }
        else if (field.SequenceEqual("id"u8))
        {
            // Spec: an id containing NUL is ignored.
            if (value.Span.IndexOf((byte)0) < 0)
            {
                CopyInto(ref _lastEventId, value.Span);
                _lastEventIdLength = value.Length;
                _idInEvent = true;
            }
        }
        else if (field.SequenceEqual("retry"u8))
        {
            // Spec: retry is honoured only when it is all ASCII digits.
            if (!value.IsEmpty && value.Span.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
                && Utf8Parser.TryParse(value.Span, out long ms, out int consumed) && consumed == value.Length)
            {
                ReconnectionTime = ms;
            }
        }
        // Spec: any other field is ignored.
        return false;
    }

    private static void CopyInto(ref byte[] target, ReadOnlySpan<byte> value)
    {
        if (target.Length < value.Length)
            target = new byte[Math.Max(value.Length, target.Length * 2)];
        value.CopyTo(target);
    }

    private void ResetEvent()
    {
        _dispatched = false;
        _dataLines = 0;
        _firstData = default;
        _dataCopied = false;
        _eventTypeLength = -1;
        _idInEvent = false;
        ReconnectionTime = null;
        _eventBytes = 0;
        _current = default;
    }

    private SseFormatException TooLarge() =>
        new($"An event in the stream is larger than the limit of {_maxEventBytes} bytes; the server sent an endless line or an oversized event.");

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        _data.Dispose();
        _lineScratch.Dispose();
    }
}
