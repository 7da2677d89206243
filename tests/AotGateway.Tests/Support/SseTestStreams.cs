using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Tests.Support;

/// <summary>Ways to feed bytes to the readers: one read per chunk, or one read of a multi-segment buffer.</summary>
internal static class SseTestStreams
{
    public sealed record Event(string? Type, string Data, string? Id, long? Retry, string LastEventId);

    /// <summary>A stream that returns exactly one of <paramref name="chunks"/> per read.</summary>
    public sealed class ChunkedStream(IReadOnlyList<byte[]> chunks) : Stream
    {
        private int _next;
        private int _offset;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (_next == chunks.Count)
                return 0;
            // One chunk per read; a chunk larger than the reader's buffer is handed out over several reads.
            byte[] chunk = chunks[_next];
            int count = Math.Min(buffer.Length, chunk.Length - _offset);
            chunk.AsSpan(_offset, count).CopyTo(buffer);
            _offset += count;
            if (_offset == chunk.Length)
            {
                _next++;
                _offset = 0;
            }
            return count;
        }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    public static List<byte[]> Split(byte[] bytes, Random random, int maxChunk)
    {
        var chunks = new List<byte[]>();
        int at = 0;
        while (at < bytes.Length)
        {
            int size = Math.Min(bytes.Length - at, random.Next(1, maxChunk + 1));
            chunks.Add(bytes.AsSpan(at, size).ToArray());
            at += size;
        }
        return chunks;
    }

    public static List<byte[]> EveryByte(byte[] bytes)
    {
        var chunks = new List<byte[]>(bytes.Length);
        foreach (byte b in bytes)
            chunks.Add([b]);
        return chunks;
    }

    /// <summary>Reads through a pipe fed one chunk per read.</summary>
    public static Task<List<Event>> ReadByReadsAsync(IReadOnlyList<byte[]> chunks, int maxEventBytes = SseReader.DefaultMaxEventBytes) =>
        ReadAsync(PipeReader.Create(new ChunkedStream(chunks), new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 1)), maxEventBytes);

    /// <summary>Reads a single buffer made of one segment per chunk.</summary>
    public static Task<List<Event>> ReadBySegmentsAsync(IReadOnlyList<byte[]> chunks) => ReadAsync(PipeReader.Create(Segments(chunks)), SseReader.DefaultMaxEventBytes);

    public static Task<List<Event>> ReadAsync(string text) => ReadByReadsAsync([Encoding.UTF8.GetBytes(text)]);

    public static async Task<List<Event>> ReadAsync(PipeReader pipe, int maxEventBytes)
    {
        var events = new List<Event>();
        using var reader = new SseReader(pipe, maxEventBytes);
        try
        {
            while (await reader.ReadAsync())
            {
                events.Add(new Event(
                    reader.HasEventType ? Encoding.UTF8.GetString(reader.EventType) : null,
                    Encoding.UTF8.GetString(reader.Data.Span),
                    reader.HasId ? Encoding.UTF8.GetString(reader.LastEventId) : null,
                    reader.ReconnectionTime,
                    Encoding.UTF8.GetString(reader.LastEventId)));
            }
        }
        finally
        {
            await pipe.CompleteAsync();
        }
        return events;
    }

    public static ReadOnlySequence<byte> Segments(IReadOnlyList<byte[]> chunks)
    {
        if (chunks.Count == 0)
            return ReadOnlySequence<byte>.Empty;
        var first = new Segment(chunks[0], 0);
        Segment last = first;
        for (int i = 1; i < chunks.Count; i++)
            last = last.Append(chunks[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
