using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// Reads server-sent events from a <see cref="PipeReader"/> by the WHATWG event-stream rules. After
/// <see cref="ReadAsync"/> returns <see langword="true"/>, the event's fields are available as UTF-8 bytes
/// until the next call: data that lies in one buffer segment is not copied; data split across segments or
/// lines is joined in a pooled buffer. The reader does not own the pipe.
/// </summary>
public sealed class SseReader : IDisposable
{
    /// <summary>The default cap on one event's size: 16 MiB.</summary>
    public const int DefaultMaxEventBytes = 16 * 1024 * 1024;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly PipeReader _pipe;
    private readonly int _maxEventBytes;

    // The pipe's data from the last read, and how far parsing has got in it.
    private ReadOnlySequence<byte> _buffer;
    private ReadOnlyMemory<byte> _first; // _buffer.First, kept: the sequence finds it again with type checks each time
    private bool _singleSegment;         // _buffer.IsSingleSegment, kept for the same reason
    private long _consumed;
    private bool _holdingBuffer;
    private bool _pipeCompleted;
    private bool _finished;
    private bool _atStreamStart = true;
    private bool _skipLeadingLf;
    private long _incompleteLineScanned;

    // The event being assembled; after dispatch, the event being shown, until the next read.
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

    /// <summary>Creates a reader over <paramref name="pipe"/>.</summary>
    /// <param name="pipe">The event stream.</param>
    /// <param name="maxEventBytes">The largest event (and line) accepted; a larger one raises <see cref="SseFormatException"/>.</param>
    public SseReader(PipeReader pipe, int maxEventBytes = DefaultMaxEventBytes)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 16);
        _pipe = pipe;
        _maxEventBytes = maxEventBytes;
    }

    /// <summary>The current event's data (its <c>data</c> lines joined with LF). Valid until the next read.</summary>
    public ReadOnlyMemory<byte> Data => _current;

    /// <summary>Whether the current event named a type with an <c>event</c> field.</summary>
    public bool HasEventType => _eventTypeLength >= 0;

    /// <summary>The current event's type, or empty when it named none (the spec's default is <c>message</c>).</summary>
    public ReadOnlySpan<byte> EventType => _eventTypeLength >= 0 ? _eventType.AsSpan(0, _eventTypeLength) : default;

    /// <summary>Whether the current event carried an <c>id</c> field.</summary>
    public bool HasId => _idInEvent;

    /// <summary>The last event id the stream set (it persists across events, per the spec).</summary>
    public ReadOnlySpan<byte> LastEventId => _lastEventId.AsSpan(0, _lastEventIdLength);

    /// <summary>The reconnection time in milliseconds the current event set with a <c>retry</c> field, if it did.</summary>
    public long? ReconnectionTime { get; private set; }

    /// <summary>
    /// Moves to the next event. Returns <see langword="false"/> at the end of the stream; an unfinished event
    /// there is discarded, as the spec requires.
    /// </summary>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default) =>
        TryReadBuffered() ? new ValueTask<bool>(true) : ReadFromPipeAsync(cancellationToken);

    /// <summary>Moves to the next event if one is complete in the data already read; never waits.</summary>
    public bool TryReadBuffered()
    {
        if (_dispatched)
            ResetEvent();
        if (!_holdingBuffer)
            return false;
        // Everything read is consumed (the usual state after an event that arrived alone): nothing to look at.
        if (_singleSegment && _consumed == _first.Length)
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

    /// <summary>The BOM at the very start, and the LF of a CRLF whose CR ended the previous read. False: wait for more data.</summary>
    private bool TrySkipPrologue()
    {
        var reader = new SequenceReader<byte>(_buffer.Slice(_consumed));
        // Spec: a single UTF-8 BOM at the very start of the stream is ignored.
        if (_atStreamStart)
        {
            if (reader.Remaining < Utf8Bom.Length && !_pipeCompleted && Utf8Bom.StartsWith(reader.UnreadSpan))
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
    /// The event nearly every server sends: one <c>data:</c> line and a blank line, ending in LF LF or CRLF CRLF,
    /// all inside the first buffer segment. Read in one pass, it gives what the line-by-line rules give; anything
    /// else (other fields, more lines, a line end at the segment's edge, a partly read event) is left to them.
    /// </summary>
    private bool TryReadDataOnlyEvent()
    {
        if (_eventBytes != 0 || _incompleteLineScanned != 0)
            return false;
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
    /// Takes the next whole line from the buffer (spec: lines end with CRLF, LF or CR). The common case, a line
    /// inside the first buffer segment, is found with one vectorised search and sliced without copying; a line
    /// that crosses segments takes the general path and is joined in the line scratch.
    /// </summary>
    private bool NextLine(out ReadOnlyMemory<byte> line, out bool inScratch)
    {
        inScratch = false;
        // Once the first segment is used up, drop it, so the next lines are again in the first segment.
        if (_consumed > 0 && _consumed >= _first.Length && !_singleSegment)
        {
            SetBuffer(_buffer.Slice(_consumed));
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadFromPipeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadBuffered())
                return true;
            if (!PrepareToRead())
                return false;
            Accept(await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Between <see cref="TryReadBuffered"/> finding no whole event and the next read of the pipe: hands the pipe
    /// back what was consumed. False when the stream has ended (no read to make). A caller that reads the pipe
    /// itself, to save an await level per event, calls this, reads, and passes the result to <see cref="Accept"/>.
    /// </summary>
    internal bool PrepareToRead()
    {
        if (_finished)
            return false;
        if (_holdingBuffer)
        {
            if (_pipeCompleted)
            {
                // Spec: at end of stream, an event without its closing blank line is not dispatched.
                ReleaseBuffer(_buffer.End);
                _finished = true;
                return false;
            }
            SpillDataFromBuffer();
            ReleaseBuffer(_buffer.GetPosition(_consumed));
        }
        return true;
    }

    /// <summary>Takes the result of the pipe read that followed <see cref="PrepareToRead"/>.</summary>
    internal void Accept(in ReadResult result)
    {
        if (result.IsCanceled)
            throw new OperationCanceledException("The event stream read was cancelled.");
        SetBuffer(result.Buffer);
        _consumed = 0;
        _holdingBuffer = true;
        _pipeCompleted = result.IsCompleted;
    }

    private void ReleaseBuffer(SequencePosition consumed)
    {
        _pipe.AdvanceTo(consumed, _buffer.End);
        _holdingBuffer = false;
        SetBuffer(default);
    }

    private void SetBuffer(ReadOnlySequence<byte> buffer)
    {
        _buffer = buffer;
        _first = buffer.First;
        _singleSegment = buffer.IsSingleSegment;
    }

    /// <summary>Data still pointing into the pipe's buffer must be copied before the buffer is released.</summary>
    private void SpillDataFromBuffer()
    {
        if (_dataLines > 0 && !_dataCopied)
        {
            _data.Clear();
            _data.Write(_firstData.Span);
            _dataCopied = true;
            _firstData = default;
        }
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
                if (!_dataCopied)
                {
                    _data.Clear();
                    if (_dataLines > 0)
                        _data.Write(_firstData.Span);
                    _dataCopied = true;
                    _firstData = default;
                }
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

    /// <summary>Returns the pooled buffers. The pipe is left to its owner.</summary>
    public void Dispose()
    {
        _data.Dispose();
        _lineScratch.Dispose();
    }
}
