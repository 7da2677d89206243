using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Testing;

/// <summary>
/// A response body that hands out planned writes, one per read (after the write's delay), then ends as planned.
/// The tests link this file too, to feed readers chunk boundaries of their choosing.
/// </summary>
internal sealed class PlannedBodyStream : Stream
{
    private readonly IReadOnlyList<(ReadOnlyMemory<byte> Bytes, TimeSpan Delay)> _writes;
    private readonly FakeFaultKind _ending;
    private int _write;
    private int _offsetInWrite;

    public PlannedBodyStream(IReadOnlyList<(ReadOnlyMemory<byte> Bytes, TimeSpan Delay)> writes, FakeFaultKind ending = FakeFaultKind.None)
    {
        _writes = writes;
        _ending = ending;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_write < _writes.Count)
        {
            (ReadOnlyMemory<byte> bytes, TimeSpan delay) = _writes[_write];
            if (_offsetInWrite == 0 && delay > TimeSpan.Zero)
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            int count = Math.Min(buffer.Length, bytes.Length - _offsetInWrite);
            bytes.Slice(_offsetInWrite, count).CopyTo(buffer);
            _offsetInWrite += count;
            if (_offsetInWrite == bytes.Length)
            {
                _write++;
                _offsetInWrite = 0;
            }
            return count;
        }
        switch (_ending)
        {
            case FakeFaultKind.ResetAfterBodyBytes:
                throw new IOException("The fake gateway reset the connection.");
            case FakeFaultKind.StallAfterBodyBytes:
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                return 0;
            default:
                return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
