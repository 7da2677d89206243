using System;
using System.Diagnostics;
using System.Threading;

namespace AotGateway.Infrastructure;

/// <summary>
/// Cancels a token source when a wait for the network has seen no byte for the timeout (each read of the network
/// is a wait of its own, so any bytes restart it). Starting a wait is a timestamp write, ending it a zero write;
/// one timer checks at most once per timeout and re-arms itself for the time left. (Re-arming the source's timer
/// around every event cost three timer changes per chunk, on the path a service runs for every token it relays.)
/// </summary>
internal sealed class IdleTimer : IDisposable
{
    private readonly CancellationTokenSource _target;
    private readonly TimeSpan _timeout;
    private readonly Timer _timer;
    private long _since; // when the current wait began (Stopwatch ticks); 0 while not waiting

    public IdleTimer(CancellationTokenSource target, TimeSpan timeout)
    {
        Debug.Assert(timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan);
        _target = target;
        _timeout = timeout;
        // The state argument instead of a closure; the timer holds this object until disposed. Started only once the
        // field is set, so a very short timeout cannot run the check before it can re-arm.
        _timer = new Timer(static state => ((IdleTimer)state!).Check(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A wait for the network begins: idleness counts from now.</summary>
    public void StartWaiting() => Volatile.Write(ref _since, Stopwatch.GetTimestamp());

    /// <summary>The wait is over: time spent outside it (the caller's own work) never counts.</summary>
    public void StopWaiting() => Volatile.Write(ref _since, 0);

    private void Check()
    {
        long since = Volatile.Read(ref _since);
        TimeSpan next = _timeout;
        if (since != 0)
        {
            TimeSpan idle = Stopwatch.GetElapsedTime(since);
            if (idle >= _timeout)
            {
                try
                {
                    _target.Cancel();
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
            _timer.Change(next, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}
