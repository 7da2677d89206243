using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Tools;

/// <summary>A tool that records the synchronization context it runs on.</summary>
[Trait("Category", "Core")]
public static partial class ContextProbeTools
{
    internal static readonly ConcurrentQueue<SynchronizationContext?> Seen = new();

    /// <summary>Records where it ran.</summary>
    [GatewayTool]
    public static string Probe()
    {
        Seen.Enqueue(SynchronizationContext.Current);
        return "ok";
    }
}

/// <summary>The tool loop runs tools off the caller's synchronization context (a UI thread's), as it says.</summary>
[Trait("Category", "Core")]
public sealed class ToolContextTests
{
    /// <summary>A single-threaded context like a UI's: everything posted runs on its one thread, in order.</summary>
    private sealed class SingleThreadContext : SynchronizationContext, IDisposable
    {
        private readonly BlockingCollection<(SendOrPostCallback, object?)> _queue = [];
        private readonly Thread _thread;

        public SingleThreadContext()
        {
            _thread = new Thread(() =>
            {
                SetSynchronizationContext(this);
                foreach ((SendOrPostCallback callback, object? state) in _queue.GetConsumingEnumerable())
                    callback(state);
            }) { IsBackground = true };
            _thread.Start();
        }

        public override void Post(SendOrPostCallback d, object? state) => _queue.Add((d, state));

        public Task<T> RunAsync<T>(Func<Task<T>> work)
        {
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(async _ =>
            {
                try { done.SetResult(await work()); }
                catch (Exception ex) { done.SetException(ex); }
            }, null);
            return done.Task;
        }

        public void Dispose() => _queue.CompleteAdding();
    }

    [Fact]
    public async Task Tools_do_not_run_on_the_callers_synchronization_context()
    {
        using var context = new SingleThreadContext();
        using var test = new TestGateway();
        while (ContextProbeTools.Seen.TryDequeue(out _))
        {
        }
        test.Gateway.Enqueue(ToolLoopTests.ToolCallReply(("probe", "{}"), ("probe", "{}"), ("probe", "{}")));

        ToolLoopResult result = await context.RunAsync(() => test.Client.RunToolsAsync(TestGateway.Ask("probe"), ContextProbeTools.ToolSet))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, result.ToolCalls);
        Assert.Equal(3, ContextProbeTools.Seen.Count);
        foreach (SynchronizationContext? seen in ContextProbeTools.Seen)
            Assert.False(seen is SingleThreadContext, "a tool ran on the caller's synchronization context");
    }
}
