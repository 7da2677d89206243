using System;
using System.IO.Pipelines;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway;

/// <summary>
/// Reads server-sent events from a <see cref="PipeReader"/> by the WHATWG event-stream rules, without allocating
/// per event. After <see cref="ReadAsync"/> returns <see langword="true"/>, the event's fields are available as
/// UTF-8 bytes until the next call: data that lies in one buffer segment is not copied; data split across segments
/// or lines is joined in a pooled buffer. The reader does not own the pipe. It is the same reader a
/// <see cref="ChatStream"/> runs, with every event handed to the caller; for events as objects, the framework's
/// <c>System.Net.ServerSentEvents.SseParser</c> is the general choice.
/// </summary>
public sealed class SseReader : IDisposable
{
    /// <summary>The default cap on one event's size: 16 MiB.</summary>
    public const int DefaultMaxEventBytes = 16 * 1024 * 1024;

    private readonly SseSource _source;

    /// <summary>Creates a reader over <paramref name="pipe"/>.</summary>
    /// <param name="pipe">The event stream.</param>
    /// <param name="maxEventBytes">The largest event (and line) accepted; a larger one raises <see cref="SseFormatException"/>.</param>
    public SseReader(PipeReader pipe, int maxEventBytes = DefaultMaxEventBytes)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 16);
        _source = new SseSource(pipe, ownsPipe: false, maxEventBytes, EveryEvent.Instance);
    }

    /// <summary>The current event's data (its <c>data</c> lines joined with LF). Valid until the next read.</summary>
    public ReadOnlyMemory<byte> Data => _source.Current.Data;

    /// <summary>Whether the current event named a type with an <c>event</c> field.</summary>
    public bool HasEventType => _source.Current.HasEventType;

    /// <summary>The current event's type, or empty when it named none (the spec's default is <c>message</c>).</summary>
    public ReadOnlySpan<byte> EventType => _source.Current.EventType;

    /// <summary>Whether the current event carried an <c>id</c> field.</summary>
    public bool HasId => _source.Current.HasId;

    /// <summary>The last event id the stream set (it persists across events, per the spec).</summary>
    public ReadOnlySpan<byte> LastEventId => _source.Current.LastEventId;

    /// <summary>The reconnection time in milliseconds the current event set with a <c>retry</c> field, if it did.</summary>
    public long? ReconnectionTime => _source.Current.ReconnectionTime;

    /// <summary>
    /// Moves to the next event. Returns <see langword="false"/> at the end of the stream; an unfinished event
    /// there is discarded, as the spec requires.
    /// </summary>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default) => _source.MoveNextAsync(cancellationToken);

    /// <summary>Moves to the next event if one is complete in the data already read; never waits.</summary>
    public bool TryReadBuffered() => _source.TryMoveNextBuffered();

    /// <summary>Returns the pooled buffers. The pipe is left to its owner.</summary>
    public void Dispose() => _source.Dispose();

    /// <summary>Every event is the caller's; every failure is rethrown as it came.</summary>
    private sealed class EveryEvent : ISseConsumer
    {
        public static readonly EveryEvent Instance = new();

        public SseStep OnEvent(EventStreamParser current) => SseStep.Update;

        public void OnEnd()
        {
        }

        public void OnFailure(Exception exception) => ExceptionDispatchInfo.Throw(exception);
    }
}
