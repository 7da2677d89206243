using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>What a consumer of events does with the one just read.</summary>
internal enum SseStep
{
    /// <summary>Not an update (a ping, a named vendor event): read on.</summary>
    Skip,

    /// <summary>The event is an update the caller sees now.</summary>
    Update,

    /// <summary>The event ends the stream (<c>[DONE]</c>).</summary>
    End,
}

/// <summary>What a <see cref="SseSource"/> hands its events and verdicts to.</summary>
internal interface ISseConsumer
{
    /// <summary>Handles the event the parser holds; throws to end the stream with an error.</summary>
    SseStep OnEvent(EventStreamParser current);

    /// <summary>The bytes ended: returns when the stream ended whole, otherwise throws.</summary>
    void OnEnd();

    /// <summary>A read failed or the bytes broke the grammar: returns when the stream ended whole anyway, otherwise throws.</summary>
    void OnFailure(Exception exception);
}

/// <summary>
/// The one owner of a stream's bytes: it holds the pipe (its own <see cref="StreamBufferReader"/> over a response,
/// or a caller's <see cref="PipeReader"/>), the parser, the idle clock and the pump. It is the only caller of
/// <see cref="PipeReader.AdvanceTo(SequencePosition, SequencePosition)"/> and the only place that moves the views'
/// generation on, always before bytes go back. The loop (events already read → release → read → parse) is written
/// once, here, and runs without an async method: when no whole event is buffered, the next read is started, and
/// its completion continues the loop and completes the caller's <see cref="MoveNextAsync"/> through one reused
/// <see cref="IValueTaskSource{TResult}"/>. (An async method would rent a state-machine box and capture the
/// execution context for every event that arrives alone, which on a service relaying a thousand streams is every
/// token of every stream.)
/// </summary>
internal sealed class SseSource : IDisposable
{
    private const int NeedsRead = -2, Pending = -1, Ended = 0, Updated = 1;

    private readonly PipeReader _pipe;
    private readonly StreamBufferReader? _buffered; // _pipe, when it is ours: read with FillAsync (one await level less)
    private readonly bool _ownsPipe;
    private readonly EventStreamParser _parser;
    private readonly ISseConsumer _consumer;
    private readonly ViewGeneration? _views;
    private readonly IdleTimer? _idle;
    private CancellationToken _token;
    private bool _holdingInput;
    private bool _ended;
    private bool _completed;

    // The pump's state: the read that is pending, and the caller's side of a MoveNextAsync that waits for it.
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _pendingFill;
    private ConfiguredValueTaskAwaitable<ReadResult>.ConfiguredValueTaskAwaiter _pendingRead;
    private ReadSignal? _signal;
    private Action? _onReadCompleted;

    /// <param name="pipe">The event stream.</param>
    /// <param name="ownsPipe">Whether completing the source completes the pipe.</param>
    /// <param name="maxEventBytes">The largest event (and line) accepted.</param>
    /// <param name="consumer">What events and verdicts go to.</param>
    /// <param name="views">The generation the consumer's views are stamped with, moved on before bytes go back.</param>
    /// <param name="idle">The idle limit, owned from here (its token replaces the one given to <see cref="MoveNextAsync"/>).</param>
    public SseSource(PipeReader pipe, bool ownsPipe, int maxEventBytes, ISseConsumer consumer, ViewGeneration? views = null, IdleTimer? idle = null)
    {
        _pipe = pipe;
        _buffered = pipe as StreamBufferReader;
        _ownsPipe = ownsPipe;
        _parser = new EventStreamParser(maxEventBytes);
        _consumer = consumer;
        _views = views;
        _idle = idle;
    }

    /// <summary>The event just read; valid until the next <see cref="MoveNextAsync"/>.</summary>
    public EventStreamParser Current => _parser;

    /// <summary>
    /// Reads on until the consumer takes an event as an update (true) or the stream ends (false). Events already
    /// buffered complete synchronously, with no allocation.
    /// </summary>
    public ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        if (_ended)
            return new ValueTask<bool>(false);
        // Every view handed out so far may point at bytes this call hands back.
        _views?.Advance();
        _token = _idle?.Token ?? cancellationToken;
        int step = Pump(resumeRead: false);
        if (step != Pending)
            return new ValueTask<bool>(step == Updated);
        ReadSignal signal = _signal ??= new ReadSignal();
        signal.Core.Reset();
        _onReadCompleted ??= OnReadCompleted;
        ContinueWhenRead();
        return new ValueTask<bool>(signal, signal.Core.Version);
    }

    /// <summary>Has the pending read's completion run <see cref="OnReadCompleted"/>.</summary>
    private void ContinueWhenRead()
    {
        if (_buffered is not null)
            _pendingFill.UnsafeOnCompleted(_onReadCompleted!);
        else
            _pendingRead.UnsafeOnCompleted(_onReadCompleted!);
    }

    private void OnReadCompleted()
    {
        ReadSignal signal = _signal!;
        try
        {
            int step = Pump(resumeRead: true);
            if (step != Pending)
                signal.Core.SetResult(step == Updated);
            else
                ContinueWhenRead();
        }
        catch (Exception ex)
        {
            signal.Core.SetException(ex);
        }
    }

    /// <summary>
    /// <see cref="Updated"/>, <see cref="Ended"/>, or <see cref="Pending"/> with a read pending. With
    /// <paramref name="resumeRead"/>, first takes the result of the read that was pending.
    /// </summary>
    private int Pump(bool resumeRead)
    {
        bool haveRead = resumeRead;
        while (true)
        {
            if (haveRead && !TryTakeRead())
                return Ended;
            int buffered = ReadBuffered();
            if (buffered != NeedsRead)
                return buffered;
            bool more = _parser.TryRelease(out SequencePosition consumed, out SequencePosition examined);
            if (_holdingInput)
            {
                _holdingInput = false;
                _pipe.AdvanceTo(consumed, examined);
            }
            if (!more)
            {
                _consumer.OnEnd();
                Complete();
                return Ended;
            }
            if (!TryStartRead(out bool completed))
                return Ended;
            if (!completed)
                return Pending;
            haveRead = true;
        }
    }

    /// <summary>
    /// Moves to the next update among the events already read, without reading (for <see cref="SseReader.TryReadBuffered"/>).
    /// </summary>
    public bool TryMoveNextBuffered()
    {
        if (_ended)
            return false;
        _views?.Advance();
        return ReadBuffered() == Updated;
    }

    /// <summary>The events whole in the input: <see cref="Updated"/>, <see cref="Ended"/>, or <see cref="NeedsRead"/>.</summary>
    private int ReadBuffered()
    {
        while (true)
        {
            bool gotEvent;
            try
            {
                gotEvent = _parser.TryReadEvent();
            }
            catch (SseFormatException ex)
            {
                return Fail(ex);
            }
            if (!gotEvent)
                return NeedsRead;
            switch (_consumer.OnEvent(_parser))
            {
                case SseStep.Update:
                    return Updated;
                case SseStep.End:
                    Complete();
                    return Ended;
            }
        }
    }

    /// <summary>Starts the next read; false when it failed and the consumer judged the stream whole anyway.</summary>
    private bool TryStartRead(out bool completed)
    {
        _idle?.StartWaiting();
        try
        {
#pragma warning disable CA2012 // Each is consumed exactly once: its result taken by TryTakeRead, now or when it completes.
            if (_buffered is { } buffered)
            {
                _pendingFill = buffered.FillAsync(_token).ConfigureAwait(false).GetAwaiter();
                completed = _pendingFill.IsCompleted;
            }
            else
            {
                _pendingRead = _pipe.ReadAsync(_token).ConfigureAwait(false).GetAwaiter();
                completed = _pendingRead.IsCompleted;
            }
#pragma warning restore CA2012
            return true;
        }
        catch (Exception ex)
        {
            completed = false;
            Fail(ex);
            return false;
        }
    }

    /// <summary>Hands the completed read to the parser; false when it failed and the consumer judged the stream whole anyway.</summary>
    private bool TryTakeRead()
    {
        try
        {
            ReadResult result = _buffered is { } buffered ? buffered.Filled(_pendingFill.GetResult()) : _pendingRead.GetResult();
            _idle?.StopWaiting();
            if (result.IsCanceled)
                throw new OperationCanceledException("The event stream read was cancelled.");
            _holdingInput = true;
            _parser.SetInput(result.Buffer, result.IsCompleted);
            return true;
        }
        catch (Exception ex)
        {
            Fail(ex);
            return false;
        }
    }

    /// <summary>The consumer judges a failure: it throws, or the stream ended whole and is completed.</summary>
    private int Fail(Exception exception)
    {
        _consumer.OnFailure(exception);
        Complete();
        return Ended;
    }

    /// <summary>Ends the stream: views first, then the bytes go back with the pipe, when it is ours.</summary>
    public void Complete()
    {
        _ended = true;
        if (_completed)
            return;
        _completed = true;
        _views?.Advance();
        _idle?.Dispose();
        // A pipe's owner completes it with or without an advance; a caller's pipe is left as the last read left it.
        if (_ownsPipe)
            _pipe.Complete();
        _parser.Dispose();
    }

    public void Dispose() => Complete();

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
