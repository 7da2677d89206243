using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Infrastructure;

/// <summary>
/// A <see cref="PipeReader"/> over a response stream with one contiguous pooled buffer, for the reply of a streamed
/// request, where every chunk arrives alone. <see cref="PipeReader.Create(Stream, StreamPipeReaderOptions?)"/> pays per
/// read for a second cancellation registration (its own token source, linked to the caller's) and segment
/// bookkeeping; this reader passes the caller's token straight to the stream and hands out single-segment buffers,
/// which are also what the event reader's fast path wants. The buffer goes back to the pool whenever everything in
/// it is consumed and is rented again for the next read (on the same thread, so the pool's per-thread slot serves
/// it); a pending read holds one, as with any reader that reads into a buffer. It grows only while unconsumed data
/// fills it (the event reader bounds that by its event limit). Not supported: <see cref="CancelPendingRead"/>
/// (cancellation comes from the token).
/// </summary>
internal sealed class StreamBufferReader : PipeReader
{
    private const int MinimumReadSize = 4 * 1024;

    private readonly Stream _stream;
    private readonly int _bufferSize;
    private byte[]? _buffer;
    private int _start;     // first unconsumed byte
    private int _examined;  // bytes before this were examined: a read waits for more than this
    private int _end;       // end of the bytes read
    private bool _streamEnded;
    private bool _completed;

    public StreamBufferReader(Stream stream, int bufferSize = 16 * 1024)
    {
        Debug.Assert(bufferSize >= MinimumReadSize);
        _stream = stream;
        _bufferSize = bufferSize;
    }

    /// <summary>Whether a pooled buffer is held (between reads, only while unconsumed bytes remain).</summary>
    internal bool HoldsBuffer => _buffer is not null;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_examined < _end || _streamEnded)
            return new ValueTask<ReadResult>(Current());
        ValueTask<int> read = FillAsync(cancellationToken);
        return read.IsCompletedSuccessfully ? new ValueTask<ReadResult>(Filled(read.Result)) : AwaitRead(read);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> AwaitRead(ValueTask<int> read) => Filled(await read.ConfigureAwait(false));

    /// <summary>
    /// The first half of a read that finds every byte examined: the stream's own read into the free space, so a
    /// caller can await it directly (one await level less per event) and pass its count to <see cref="Filled"/>.
    /// </summary>
    public ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        Debug.Assert(_examined == _end && !_streamEnded, "A fill with unexamined bytes or after the end would lose or misplace them.");
        cancellationToken.ThrowIfCancellationRequested();
        byte[] buffer = MakeRoom();
        return _stream.ReadAsync(buffer.AsMemory(_end), cancellationToken);
    }

    /// <summary>The second half: <paramref name="count"/> bytes arrived (0: the stream ended); what a read returns.</summary>
    public ReadResult Filled(int count)
    {
        if (count == 0)
            _streamEnded = true;
        _end += count;
        return Current();
    }

    public override bool TryRead(out ReadResult result)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        result = Current();
        return _examined < _end || _streamEnded;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        int consumedAt = IndexOf(consumed);
        int examinedAt = IndexOf(examined);
        if (consumedAt < _start || examinedAt < consumedAt || examinedAt > _end)
            throw new ArgumentOutOfRangeException(nameof(consumed), "The positions do not lie in the last buffer read, in order.");
        _start = consumedAt;
        _examined = Math.Max(_examined, examinedAt);
        if (_start == _end)
            ReturnBuffer();
    }

    public override void CancelPendingRead() =>
        throw new NotSupportedException("This reader is cancelled through the token given to ReadAsync.");

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
            return;
        _completed = true;
        ReturnBuffer();
        _stream.Dispose();
    }

    private int IndexOf(SequencePosition position)
    {
        if (_buffer is null)
        {
            // Nothing was read, or everything was consumed and handed back: only the empty buffer's start is valid.
            if (position.GetObject() is not (null or byte[] { Length: 0 }) || position.GetInteger() != 0)
                throw new InvalidOperationException("The position does not belong to this reader's buffer.");
            return _start;
        }
        if (!ReferenceEquals(position.GetObject(), _buffer))
            throw new InvalidOperationException("The position does not belong to this reader's buffer.");
        return position.GetInteger();
    }

    private ReadResult Current() => new(
        _buffer is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_buffer, _start, _end - _start),
        isCanceled: false,
        isCompleted: _streamEnded);

    /// <summary>A buffer with at least the minimum read size free after the unconsumed bytes, which move to its start.</summary>
    private byte[] MakeRoom()
    {
        int unconsumed = _end - _start;
        byte[]? buffer = _buffer;
        if (buffer is null)
        {
            buffer = _buffer = BufferPool.Rent(_bufferSize);
        }
        else if (buffer.Length - _end < MinimumReadSize)
        {
            byte[] target = buffer;
            if (unconsumed + MinimumReadSize > buffer.Length)
                target = BufferPool.Rent(Math.Max(buffer.Length * 2, unconsumed + MinimumReadSize));
            Buffer.BlockCopy(buffer, _start, target, 0, unconsumed);
            if (!ReferenceEquals(target, buffer))
                BufferPool.Return(buffer);
            _buffer = buffer = target;
            _examined -= _start;
            _start = 0;
            _end = unconsumed;
        }
        return buffer;
    }

    private void ReturnBuffer()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            BufferPool.Return(buffer);
        }
        _start = _examined = _end = 0;
    }
}
