using System;
using System.Buffers;

namespace AotGateway.Infrastructure;

/// <summary>An <see cref="IBufferWriter{T}"/> over arrays from <see cref="BufferPool"/>; returned on dispose.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly int _maxCapacity;
    private byte[] _buffer;
    private int _written;

    /// <param name="initialCapacity">The first buffer's size.</param>
    /// <param name="maxCapacity">Growth doubles up to this and no further (a request past it still gets exactly what it asks).</param>
    public PooledBufferWriter(int initialCapacity = 4096, int maxCapacity = int.MaxValue)
    {
        _maxCapacity = maxCapacity;
        _buffer = BufferPool.Rent(initialCapacity);
    }

    public int WrittenCount => _written;

    public int Capacity => _buffer.Length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Clear() => _written = 0;

    /// <summary>Empties the writer and, when its buffer grew past <paramref name="capacity"/>, trades it for a pooled one of that size.</summary>
    public void ClearAndShrink(int capacity)
    {
        _written = 0;
        if (_buffer.Length <= capacity)
            return;
        byte[] large = _buffer;
        _buffer = BufferPool.Rent(capacity);
        BufferPool.Return(large);
    }

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetSpan(data.Length));
        _written += data.Length;
    }

    private void EnsureCapacity(int sizeHint)
    {
        if (sizeHint < 1)
            sizeHint = 1;
        if (_buffer.Length - _written >= sizeHint)
            return;
        long wanted = Math.Max(Math.Min((long)_buffer.Length * 2, _maxCapacity), (long)_written + sizeHint);
        if (wanted > Array.MaxLength)
            wanted = Math.Max(Array.MaxLength, _written + sizeHint);
        byte[] next = BufferPool.Rent((int)wanted);
        _buffer.AsSpan(0, _written).CopyTo(next);
        BufferPool.Return(_buffer);
        _buffer = next;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _written = 0;
        BufferPool.Return(buffer);
    }
}
