using System;
using System.Threading;

namespace AotGateway.Infrastructure;

/// <summary>
/// A limit on one stretch of a call: a token cancelled when the caller's is, or when <c>limit</c> has passed on the
/// client's <see cref="TimeProvider"/> (the same clock retry waits and the idle limit follow, so a test's clock drives
/// all of them).
/// </summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _caller;

    public Deadline(TimeSpan limit, TimeProvider time, CancellationToken caller)
    {
        _source = limit == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(limit, time);
        _caller = caller.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        _caller.Dispose();
        _source.Dispose();
    }
}
