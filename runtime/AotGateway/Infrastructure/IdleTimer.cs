using System;
using System.Diagnostics;
using System.Threading;

namespace AotGateway.Infrastructure;

/// <summary>
/// A stream's idle limit: <see cref="Token"/> (linked to the caller's) is cancelled when a wait for the network has
/// seen no byte for the timeout. Each read of the network is a wait of its own, so any bytes restart it. Starting a
/// wait is a timestamp write, ending it a zero write; one timer on the client's <see cref="TimeProvider"/> checks at
/// most once per timeout and re-arms itself for the time left. (Re-arming a timer around every event cost three
/// timer changes per chunk, on the path a service runs for every token it relays.)
/// </summary>
internal sealed class IdleTimer : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ITimer _timer;
    private long _since; // when the current wait began (the clock's timestamp); 0 while not waiting

    public IdleTimer(TimeSpan timeout, TimeProvider time, CancellationToken caller)
    {
        Debug.Assert(timeout > TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan);
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(caller);
        _time = time;
        _timeout = timeout;
        // The state argument instead of a closure; the timer holds this object until disposed. Started only once the
        // field is set, so a very short timeout cannot run the check before it can re-arm.
        _timer = time.CreateTimer(static state => ((IdleTimer)state!).Check(), this, System.Threading.Timeout.InfiniteTimeSpan, System.Threading.Timeout.InfiniteTimeSpan);
        _timer.Change(timeout, System.Threading.Timeout.InfiniteTimeSpan);
    }

    /// <summary>The token reads wait on: the caller's, or the idle limit's.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The limit, for messages.</summary>
    public TimeSpan Timeout => _timeout;

    /// <summary>A wait for the network begins: idleness counts from now.</summary>
    public void StartWaiting() => Volatile.Write(ref _since, Math.Max(1, _time.GetTimestamp()));

    /// <summary>The wait is over: time spent outside it (the caller's own work) never counts.</summary>
    public void StopWaiting() => Volatile.Write(ref _since, 0);

    private void Check()
    {
        long since = Volatile.Read(ref _since);
        TimeSpan next = _timeout;
        if (since != 0)
        {
            TimeSpan idle = _time.GetElapsedTime(since);
            if (idle >= _timeout)
            {
                try
                {
                    _cancellation.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The stream ended while this check ran.
                }
                return;
            }
            next = _timeout - idle;
        }
        try
        {
            _timer.Change(next, System.Threading.Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _timer.Dispose(); // before the token source it cancels
        _cancellation.Dispose();
    }
}
