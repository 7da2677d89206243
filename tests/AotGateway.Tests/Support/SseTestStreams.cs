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

    /// <summary>A stream that returns exactly one of <paramref name="chunks"/> per read (the fake gateway's body stream, linked in).</summary>
    public static Stream ChunkedStream(IReadOnlyList<byte[]> chunks)
    {
        var writes = new List<(ReadOnlyMemory<byte> Bytes, TimeSpan Delay)>(chunks.Count);
        foreach (byte[] chunk in chunks)
            writes.Add((chunk, TimeSpan.Zero));
        return new AotGateway.Testing.PlannedBodyStream(writes);
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

    /// <summary>
    /// Reads a stream fed one chunk per read both ways the library reads one: over the framework's stream pipe
    /// (multi-segment buffers, ReadAsync), and over the buffer reader a live <see cref="ChatStream"/> owns
    /// (<see cref="ReadLikeChatStreamAsync"/>). Both must give the same events, or fail with the same error.
    /// </summary>
    public static async Task<List<Event>> ReadByReadsAsync(IReadOnlyList<byte[]> chunks, int maxEventBytes = SseReader.DefaultMaxEventBytes)
    {
        (List<Event>? viaPipe, Exception? pipeError) = await TryAsync(() =>
            ReadAsync(PipeReader.Create(ChunkedStream(chunks), new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 1)), maxEventBytes));
        (List<Event>? direct, Exception? directError) = await TryAsync(() => ReadLikeChatStreamAsync(chunks, maxEventBytes));
        Xunit.Assert.Equal(pipeError?.GetType(), directError?.GetType());
        if (pipeError is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(pipeError);
        Xunit.Assert.Equal(viaPipe, direct);
        return viaPipe!;
    }

    /// <summary>
    /// What a live <see cref="ChatStream"/> reads through: the event source over its own
    /// <see cref="Infrastructure.StreamBufferReader"/>, read with FillAsync. Its buffer starts at the smallest size, so
    /// long events make it grow.
    /// </summary>
    public static async Task<List<Event>> ReadLikeChatStreamAsync(IReadOnlyList<byte[]> chunks, int maxEventBytes)
    {
        var buffer = new Infrastructure.StreamBufferReader(ChunkedStream(chunks), bufferSize: 4096);
        try
        {
            return await ReadEventsAsync(buffer, maxEventBytes);
        }
        finally
        {
            buffer.Complete();
        }
    }

    private static async Task<(List<Event>?, Exception?)> TryAsync(Func<Task<List<Event>>> read)
    {
        try
        {
            return (await read(), null);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            return (null, ex);
        }
    }

    private static Event Current(SseReader reader) => new(
        reader.HasEventType ? Encoding.UTF8.GetString(reader.EventType) : null,
        Encoding.UTF8.GetString(reader.Data.Span),
        reader.HasId ? Encoding.UTF8.GetString(reader.LastEventId) : null,
        reader.ReconnectionTime,
        Encoding.UTF8.GetString(reader.LastEventId));

    /// <summary>Reads a single buffer made of one segment per chunk.</summary>
    public static Task<List<Event>> ReadBySegmentsAsync(IReadOnlyList<byte[]> chunks) => ReadAsync(PipeReader.Create(Segments(chunks)), SseReader.DefaultMaxEventBytes);

    public static Task<List<Event>> ReadAsync(string text) => ReadByReadsAsync([Encoding.UTF8.GetBytes(text)]);

    public static async Task<List<Event>> ReadAsync(PipeReader pipe, int maxEventBytes)
    {
        try
        {
            return await ReadEventsAsync(pipe, maxEventBytes);
        }
        finally
        {
            await pipe.CompleteAsync();
        }
    }

    private static async Task<List<Event>> ReadEventsAsync(PipeReader pipe, int maxEventBytes)
    {
        var events = new List<Event>();
        using var reader = new SseReader(pipe, maxEventBytes);
        while (await reader.ReadAsync())
            events.Add(Current(reader));
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
