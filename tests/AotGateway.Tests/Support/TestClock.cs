using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace AotGateway.Tests.Support;

/// <summary>
/// A clock for tests: time stands still unless advanced, and every wait (a <c>Task.Delay</c> on this clock, whose
/// timer's state is the delay's task) fires at once on the thread pool after recording how long it was asked to
/// wait, so retry delays are observed without waiting. Deadlines (a token source's timer, a stream's idle check)
/// never fire on their own: a test of a deadline uses a clock it advances.
/// </summary>
internal sealed class TestClock : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();
    private DateTimeOffset _now;

    public TestClock(DateTimeOffset? start = null)
    {
        _now = start ?? new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Every delay requested, in order.</summary>
    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    public override DateTimeOffset GetUtcNow() => _now;

    // Elapsed time follows the same clock, so a wait measured against it sees only the time the clock was moved.
    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan && state is System.Threading.Tasks.Task)
        {
            _delays.Enqueue(dueTime);
            _now += dueTime;
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }
        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public System.Threading.Tasks.ValueTask DisposeAsync() => default;
    }
}
