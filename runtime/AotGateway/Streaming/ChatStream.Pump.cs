using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// The steady state of a live stream without an async method: when no whole event is buffered, the next read of
/// the response is started here, and its completion continues the stream and completes the caller's
/// <c>MoveNextAsync</c> through one reused <see cref="IValueTaskSource{TResult}"/>. An async method would rent a
/// state-machine box and capture the execution context for every event that arrives alone, which on a service
/// relaying a thousand streams is every token of every stream. Sending the request takes
/// <see cref="MoveNextFromNetworkAsync"/>, which hands over to the pump; captured streams read through another pipe
/// stay there.
/// </summary>
public sealed partial class ChatStream
{
    private const int Pending = -1, Ended = 0, Updated = 1;

    private ReadSignal? _signal;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _pendingRead;
    private Action? _onReadCompleted;

    /// <summary>Called with no whole event buffered: reads on until an update, the end, or a read that must wait.</summary>
    private ValueTask<bool> PumpAsync()
    {
        int step = Pump(resumeRead: false);
        if (step != Pending)
            return new ValueTask<bool>(step == Updated);
        ReadSignal signal = _signal ??= new ReadSignal();
        signal.Core.Reset();
        short version = signal.Core.Version;
        _pendingRead.UnsafeOnCompleted(_onReadCompleted ??= OnReadCompleted);
        return new ValueTask<bool>(signal, version);
    }

    private void OnReadCompleted()
    {
        ReadSignal signal = _signal!;
        try
        {
            int step = Pump(resumeRead: true);
            if (step == Pending)
                _pendingRead.UnsafeOnCompleted(_onReadCompleted!);
            else
                signal.Core.SetResult(step == Updated);
        }
        catch (Exception ex)
        {
            RecordFailure(ex);
            signal.Core.SetException(ex);
        }
    }

    /// <summary>
    /// <see cref="Updated"/>, <see cref="Ended"/>, or <see cref="Pending"/> with the read in <see cref="_pendingRead"/>.
    /// With <paramref name="resumeRead"/>, first takes the result of the read that was pending.
    /// </summary>
    private int Pump(bool resumeRead)
    {
        SseReader sse = _sse!;
        StreamBufferReader direct = _direct!;
        try
        {
            int count = resumeRead ? _pendingRead.GetResult() : -1;
            while (true)
            {
                if (count >= 0)
                {
                    _idle?.StopWaiting();
                    sse.Accept(direct.Filled(count));
                }
                while (TryReadBufferedEvent(sse))
                {
                    if (ProcessEvent())
                        return Updated;
                    if (_state != State.Reading)
                        return Ended;
                }
                if (!sse.PrepareToRead())
                    return EndOfStream() ? Updated : Ended;
                _idle?.StartWaiting();
#pragma warning disable CA2012 // Consumed exactly once: its result read here, or by OnReadCompleted when it completes.
                ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter read =
                    direct.FillAsync(_response?.Limit.Token ?? _cancellation).ConfigureAwait(false).GetAwaiter();
#pragma warning restore CA2012
                if (!read.IsCompleted)
                {
                    _pendingRead = read;
                    return Pending;
                }
                count = read.GetResult();
            }
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            FinishOrThrow(ex);
            return Ended;
        }
    }

    /// <summary>The caller's side of a pending <c>MoveNextAsync</c>; continuations run inline, as an async method's would.</summary>
    private sealed class ReadSignal : IValueTaskSource<bool>
    {
        public ManualResetValueTaskSourceCore<bool> Core;

        public bool GetResult(short token) => Core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => Core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            Core.OnCompleted(continuation, state, token, flags);
    }
}
