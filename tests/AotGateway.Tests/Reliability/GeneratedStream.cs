using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Tests.Reliability;

/// <summary>A stream of <paramref name="count"/> repetitions of a pattern, produced on the fly: large inputs without large memory.</summary>
internal sealed class GeneratedStream(byte[] prefix, byte[] pattern, long count, byte[] suffix) : AotGateway.Tests.Support.ReadOnlyTestStream
{
    private long _position;
    private readonly long _length = prefix.Length + pattern.Length * count + suffix.Length;

    public long BytesRead => _position;
    public override long Length => _length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int written = 0;
        while (written < buffer.Length && _position < _length)
        {
            long body = _length - suffix.Length;
            byte next = _position < prefix.Length ? prefix[_position]
                : _position < body ? pattern[(_position - prefix.Length) % pattern.Length]
                : suffix[_position - body];
            buffer[written++] = next;
            _position++;
        }
        return written;
    }

    // Completing reads synchronously keeps a whole run on one thread, so a test can count its allocations alone.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

}
