using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>
/// The streaming hot path allocates nothing per event. Allocation counts are deterministic (times are not),
/// so this is asserted here while speed lives in bench/.
/// </summary>
[Trait("Category", "Core")]
public class AllocationTests
{
    internal static byte[] TextStream(int events, bool crlf = false, int keepAliveEvery = 0)
    {
        string nl = crlf ? "\r\n" : "\n";
        var text = new StringBuilder();
        for (int i = 0; i < events; i++)
        {
            if (keepAliveEvery > 0 && i % keepAliveEvery == 0)
                text.Append(": keep-alive").Append(nl).Append(nl);
            string piece = (i % 7) switch { 0 => " the", 1 => " quick", 2 => " fox\\n", 3 => " caf\\u00e9", 4 => " \\\"jumps\\\"", 5 => ",", _ => " over" };
            text.Append("data: {\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1770950834,\"model\":\"acme/llama-3-70b\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                .Append(piece).Append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}").Append(nl).Append(nl);
        }
        text.Append("data: {\"id\":\"chatcmpl-abc123\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}").Append(nl).Append(nl);
        text.Append("data: [DONE]").Append(nl).Append(nl);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static bool MoveNext(IAsyncEnumerator<ChatUpdate> updates)
    {
        ValueTask<bool> next = updates.MoveNextAsync();
        // In-memory reads complete synchronously; anything else would show up as allocation below.
        return next.IsCompletedSuccessfully ? next.Result : next.AsTask().GetAwaiter().GetResult();
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 4)]
    public void Reading_ten_thousand_text_events_as_UTF8_allocates_nothing_per_event(bool crlf, int keepAliveEvery)
    {
        // Steady state: a window of 10,000 events that allocates nothing. A per-event allocation would show in
        // every window; a one-off runtime cost (tiered JIT promoting a method while other tests load the
        // machine) shows in one at most, so up to five windows are read.
        const int WarmUp = 2_000, Measured = 10_000, Windows = 5;
        byte[] stream = TextStream(WarmUp + Windows * Measured + 10, crlf, keepAliveEvery);
        IAsyncEnumerator<ChatUpdate> updates = ChatStream.FromEventStream(new MemoryStream(stream)).GetAsyncEnumerator();
        long bytes = 0;
        for (int i = 0; i < WarmUp; i++)
        {
            Assert.True(MoveNext(updates));
            bytes += updates.Current.ContentUtf8.Length;
        }

        var windows = new List<long>();
        while (windows.Count < Windows && (windows.Count == 0 || windows[^1] != 0))
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Measured; i++)
            {
                Assert.True(MoveNext(updates));
                bytes += updates.Current.ContentUtf8.Length;
            }
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(bytes > Measured * 2);
        Assert.True(windows[^1] == 0, $"every window of {Measured:N0} events allocated: {string.Join(", ", windows)} bytes");
        updates.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Fact]
    public void The_allocation_check_can_fail()
    {
        // The same loop reading strings instead of spans must show allocation, or the check above proves nothing.
        byte[] stream = TextStream(3_000);
        IAsyncEnumerator<ChatUpdate> updates = ChatStream.FromEventStream(new MemoryStream(stream)).GetAsyncEnumerator();
        for (int i = 0; i < 1_000; i++)
            MoveNext(updates);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int length = 0;
        for (int i = 0; i < 1_000; i++)
        {
            MoveNext(updates);
            length += updates.Current.Content!.Length;
        }
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before >= 1_000 * 20, "strings were allocated");
        Assert.True(length > 0);
    }

    /// <summary>
    /// The path a live stream takes: every event arrives alone, after the reader has had to wait for it. The
    /// stream below completes each pending read on this thread, so the continuation that reads the event and
    /// completes <c>MoveNextAsync</c> runs here and its allocations are counted.
    /// </summary>
    [Fact]
    public void Events_that_each_arrive_after_a_wait_allocate_nothing_per_event()
    {
        const int WarmUp = 2_000, Measured = 10_000, Windows = 5;
        byte[] all = TextStream(WarmUp + Windows * Measured + 10);
        var source = new HandedStream();
        IAsyncEnumerator<ChatUpdate> updates = ChatStream.FromEventStream(source).GetAsyncEnumerator();
        int at = 0;
        bool Next()
        {
            ValueTask<bool> next = updates.MoveNextAsync();
            Assert.False(next.IsCompleted, "the read did not wait, so this test measured the buffered path");
            int end = all.AsSpan(at).IndexOf("\n\n"u8) + at + 2;
            source.Deliver(all.AsSpan(at, end - at));
            at = end;
            Assert.True(next.IsCompletedSuccessfully);
            return next.Result;
        }

        for (int i = 0; i < WarmUp; i++)
            Assert.True(Next());
        var windows = new List<long>();
        long bytes = 0;
        while (windows.Count < Windows && (windows.Count == 0 || windows[^1] != 0))
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Measured; i++)
            {
                Assert.True(Next());
                bytes += updates.Current.ContentUtf8.Length;
            }
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(bytes > Measured * 2);
        Assert.True(windows[^1] == 0, $"every window of {Measured:N0} events allocated: {string.Join(", ", windows)} bytes");
        updates.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// A caller's own <see cref="System.IO.Pipelines.PipeReader"/> (FromEventStream(PipeReader)): read through the same
    /// source as a live stream, with the pipe's reads instead of the buffer reader's. Each event is written and flushed
    /// alone; with <paramref name="waitEachEvent"/> the read is pending when it arrives (the pump's continuation runs on
    /// this thread), otherwise it is already there (the buffered path).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reading_a_callers_pipe_allocates_nothing_per_event(bool waitEachEvent)
    {
        const int WarmUp = 2_000, Measured = 10_000, Windows = 5;
        byte[] all = TextStream(WarmUp + Windows * Measured + 10);
        var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(
            readerScheduler: System.IO.Pipelines.PipeScheduler.Inline, writerScheduler: System.IO.Pipelines.PipeScheduler.Inline,
            pauseWriterThreshold: 0, useSynchronizationContext: false));
        IAsyncEnumerator<ChatUpdate> updates = ChatStream.FromEventStream(pipe.Reader).GetAsyncEnumerator();
        int at = 0;
        void Write()
        {
            int end = all.AsSpan(at).IndexOf("\n\n"u8) + at + 2;
            System.Buffers.BuffersExtensions.Write(pipe.Writer, all.AsSpan(at, end - at));
            ValueTask<System.IO.Pipelines.FlushResult> flush = pipe.Writer.FlushAsync();
            Assert.True(flush.IsCompletedSuccessfully, "the pipe never pauses its writer here");
            at = end;
        }
        bool Next()
        {
            if (!waitEachEvent)
                Write();
            ValueTask<bool> next = updates.MoveNextAsync();
            Assert.True(waitEachEvent != next.IsCompleted, waitEachEvent ? "the read did not wait" : "the read waited"); // Assert.Equal would allocate its comparer
            if (waitEachEvent)
                Write();
            Assert.True(next.IsCompletedSuccessfully);
            return next.Result;
        }

        for (int i = 0; i < WarmUp; i++)
            Assert.True(Next());
        var windows = new List<long>();
        long bytes = 0;
        while (windows.Count < Windows && (windows.Count == 0 || windows[^1] != 0))
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Measured; i++)
            {
                Assert.True(Next());
                bytes += updates.Current.ContentUtf8.Length;
            }
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(bytes > Measured * 2);
        Assert.True(windows[^1] == 0, $"every window of {Measured:N0} events allocated: {string.Join(", ", windows)} bytes");
        updates.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Each read waits until the test hands it bytes; the reader's continuation then runs on the test's thread.</summary>
    private sealed class HandedStream : ReadOnlyTestStream, IValueTaskSource<int>
    {
        private ManualResetValueTaskSourceCore<int> _core;
        private Memory<byte> _pending;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _core.Reset();
            _pending = buffer;
            return new ValueTask<int>(this, _core.Version);
        }

        public void Deliver(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_pending.Span);
            _core.SetResult(bytes.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

        int IValueTaskSource<int>.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
