using System;
using System.Buffers;
using System.IO;
using System.IO.Pipelines;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Infrastructure;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Sse;

/// <summary>
/// The pipe a live stream reads through. The grammar over it is tested by every <see cref="SseReaderTests"/> case
/// (its helper reads each input this way too); these are the reader's own promises as a <see cref="PipeReader"/>.
/// </summary>
[Trait("Category", "Core")]
public class StreamBufferReaderTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Holds_no_buffer_once_everything_read_is_consumed()
    {
        var reader = new StreamBufferReader(SseTestStreams.ChunkedStream([Bytes("data: a\n\n"), Bytes("data: b\n\n")]));
        Assert.False(reader.HoldsBuffer);
        for (int i = 0; i < 2; i++)
        {
            ReadResult result = await reader.ReadAsync();
            Assert.True(reader.HoldsBuffer);
            Assert.Equal(9, result.Buffer.Length);
            reader.AdvanceTo(result.Buffer.End);
            // Consumed bytes keep no buffer: a caller slow to ask for more holds nothing meanwhile.
            Assert.False(reader.HoldsBuffer);
        }
        Assert.True((await reader.ReadAsync()).IsCompleted);
        reader.Complete();
    }

    [Fact]
    public async Task Unexamined_bytes_come_back_without_reading_and_unconsumed_ones_stay_in_front()
    {
        var source = new CountingStream(SseTestStreams.ChunkedStream([Bytes("abcdef"), Bytes("gh")]));
        var reader = new StreamBufferReader(source);
        ReadResult first = await reader.ReadAsync();
        reader.AdvanceTo(first.Buffer.GetPosition(2), first.Buffer.GetPosition(4));
        ReadResult again = await reader.ReadAsync();
        Assert.Equal(1, source.Reads);
        Assert.Equal("cdef", Encoding.UTF8.GetString(again.Buffer.ToArray()));
        reader.AdvanceTo(again.Buffer.Start, again.Buffer.End);
        ReadResult more = await reader.ReadAsync();
        Assert.Equal(2, source.Reads);
        Assert.Equal("cdefgh", Encoding.UTF8.GetString(more.Buffer.ToArray()));
        Assert.True(more.Buffer.IsSingleSegment);
        reader.Complete();
    }

    [Fact]
    public async Task Grows_while_unconsumed_bytes_fill_it_and_loses_none()
    {
        byte[] whole = new byte[100_000];
        new Random(7).NextBytes(whole);
        var chunks = new System.Collections.Generic.List<byte[]>();
        for (int at = 0; at < whole.Length; at += 3_000)
            chunks.Add(whole.AsSpan(at, Math.Min(3_000, whole.Length - at)).ToArray());
        var reader = new StreamBufferReader(SseTestStreams.ChunkedStream(chunks), bufferSize: 4096);
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync();
            if (result.IsCompleted)
                break;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End); // consume nothing, as with one long event
        }
        Assert.Equal(whole, result.Buffer.ToArray());
        reader.AdvanceTo(result.Buffer.End);
        Assert.False(reader.HoldsBuffer);
        reader.Complete();
    }

    [Fact]
    public async Task Positions_from_elsewhere_or_out_of_order_are_refused()
    {
        var reader = new StreamBufferReader(SseTestStreams.ChunkedStream([Bytes("abcdef")]));
        ReadResult result = await reader.ReadAsync();
        var foreign = new ReadOnlySequence<byte>(new byte[6]);
        Assert.Throws<InvalidOperationException>(() => reader.AdvanceTo(foreign.GetPosition(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.AdvanceTo(result.Buffer.GetPosition(4), result.Buffer.GetPosition(2)));
        reader.AdvanceTo(result.Buffer.GetPosition(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.AdvanceTo(result.Buffer.GetPosition(1)));
        reader.Complete();
    }

    [Fact]
    public async Task Complete_disposes_the_stream_and_ends_reading()
    {
        var source = new CountingStream(SseTestStreams.ChunkedStream([Bytes("abc")]));
        var reader = new StreamBufferReader(source);
        ReadResult result = await reader.ReadAsync();
        reader.AdvanceTo(result.Buffer.GetPosition(1)); // still holding two bytes
        reader.Complete();
        Assert.True(source.Disposed);
        Assert.False(reader.HoldsBuffer);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await reader.ReadAsync());
        reader.Complete(); // twice is harmless
    }

    [Fact]
    public async Task The_callers_token_reaches_the_waiting_stream()
    {
        using var pipe = new AnonymousPipeStreams();
        var reader = new StreamBufferReader(pipe.Reader);
        using var cts = new CancellationTokenSource();
        ValueTask<ReadResult> pending = reader.ReadAsync(cts.Token);
        Assert.False(pending.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending).WaitAsync(TimeSpan.FromSeconds(10));
        reader.Complete();
    }

    [Fact]
    public void CancelPendingRead_says_it_is_not_supported()
    {
        var reader = new StreamBufferReader(new MemoryStream());
        var error = Assert.Throws<NotSupportedException>(reader.CancelPendingRead);
        Assert.Contains("token", error.Message);
        reader.Complete();
    }

    private sealed class CountingStream(Stream inner) : ReadOnlyTestStream
    {
        public int Reads { get; private set; }
        public bool Disposed { get; private set; }
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>A stream whose reads wait until written to (here: never), from an in-process pipe.</summary>
    private sealed class AnonymousPipeStreams : IDisposable
    {
        private readonly Pipe _pipe = new();
        public Stream Reader => _pipe.Reader.AsStream();
        public void Dispose() => _pipe.Writer.Complete();
    }
}
