using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Infrastructure;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>
/// What happens at a stream's edges: the views after the last update, the buffers that go back to the pool, and a
/// stream handed to two readers at once.
/// </summary>
[Trait("Category", "Core")]
public class StreamLifetimeTests
{
    [Fact]
    public async Task After_the_last_MoveNextAsync_the_last_update_and_Current_throw_before_any_dispose()
    {
        using var test = new TestGateway();
        IAsyncEnumerator<ChatUpdate> updates = test.Client.StreamAsync(TestGateway.Ask("the end")).GetAsyncEnumerator();
        ChatUpdate last = default;
        int count = 0;
        while (await updates.MoveNextAsync())
        {
            last = updates.Current;
            _ = last.ContentUtf8.Length;
            count++;
        }
        Assert.True(count > 1);
        // The stream has handed its buffers back: a view must not read them (in a relay, another stream's bytes).
        Assert.Throws<InvalidOperationException>(() => last.ContentUtf8.Length);
        Assert.Throws<InvalidOperationException>(() => updates.Current.IdUtf8.Length);
        await updates.DisposeAsync();
    }

    [Fact]
    public async Task A_captured_stream_ending_without_DONE_invalidates_its_last_update_too()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\n");
        IAsyncEnumerator<ChatUpdate> updates = ChatStream.FromEventStream(new MemoryStream(bytes)).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync());
        ChatUpdate last = updates.Current;
        Assert.Equal("hi", last.Content);
        Assert.False(await updates.MoveNextAsync());
        Assert.Throws<InvalidOperationException>(() => last.Content);
        await updates.DisposeAsync();
    }

    [Fact]
    public async Task A_stream_buffer_grown_past_a_MiB_does_not_go_back_to_the_shared_pool()
    {
        // One event of 3 MiB makes the reader's buffer grow past the pooling limit; the pool must not keep it.
        byte[] large = RentedAfterReading(4 * 1024 * 1024, out byte[] held);
        Assert.NotSame(held, large);
        // The control: a buffer within the limit does go back (the same thread gets the same array next).
        byte[] small = RentedAfterReading(200 * 1024, out byte[] heldSmall);
        Assert.Same(heldSmall, small);
        ArrayPool<byte>.Shared.Return(small);
    }

    private static byte[] RentedAfterReading(int eventBytes, out byte[] held)
    {
        byte[] stream = Encoding.ASCII.GetBytes("data: " + new string('x', eventBytes - 16) + "\n\n");
        var reader = new StreamBufferReader(new MemoryStream(stream), bufferSize: 16 * 1024);
        ReadResult result;
        while (true)
        {
            result = reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            if (result.IsCompleted || result.Buffer.Length >= stream.Length)
                break;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
        Assert.True(MemoryMarshal.TryGetArray(result.Buffer.First, out ArraySegment<byte> segment));
        held = segment.Array!;
        reader.AdvanceTo(result.Buffer.End);
        reader.Complete();
        return ArrayPool<byte>.Shared.Rent(held.Length);
    }

    [Fact]
    public void Two_threads_asking_for_the_enumerator_at_once_get_it_once()
    {
        using var test = new TestGateway();
        const int Rounds = 5_000;
        var streams = new ChatStream[Rounds];
        for (int i = 0; i < Rounds; i++)
            streams[i] = test.Client.StreamAsync(TestGateway.Ask("x"));
        int[] granted = new int[Rounds];
        using var step = new Barrier(2);
        void Take()
        {
            for (int i = 0; i < Rounds; i++)
            {
                step.SignalAndWait();
                try
                {
                    _ = streams[i].GetAsyncEnumerator();
                    Interlocked.Increment(ref granted[i]);
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
        var first = new Thread(Take);
        var second = new Thread(Take);
        first.Start();
        second.Start();
        Assert.True(first.Join(TimeSpan.FromSeconds(60)) && second.Join(TimeSpan.FromSeconds(60)));
        Assert.All(granted, count => Assert.Equal(1, count));
    }
}
