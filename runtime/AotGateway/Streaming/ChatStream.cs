using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Http;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// A streamed reply, read once with <c>await foreach</c>. The request is sent when enumeration starts. Each
/// <see cref="ChatUpdate"/> is a view of one reused buffer, valid until the next one (reading it later throws; keep
/// <see cref="ChatUpdate.ToSnapshot"/> instead); reading its UTF-8 spans
/// allocates nothing. The stream ends normally at <c>data: [DONE]</c> (or after a finish reason); one that ends
/// before either raises <see cref="GatewayStreamException"/> with <see cref="GatewayStreamFailure.CutOff"/>.
/// </summary>
/// <remarks>
/// The bytes, the idle limit and the reading loop belong to an <see cref="SseSource"/>; the stream keeps the
/// request's life (sending, telemetry, the response), what each event means, and the verdict at the end.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A stream of chat updates, not a System.IO.Stream; the name is what users look for.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The response is released by the enumerator's DisposeAsync, which await foreach always calls.")]
public class ChatStream : IAsyncEnumerable<ChatUpdate>, ISseConsumer
{
    private enum State
    {
        Created,
        Reading,
        Finished,
        Disposed,
    }

    private readonly GatewayTransport? _transport; // null for a captured stream
    private readonly string _subject;
    private string _model;
    private readonly ChatRequest? _request;   // for a fallback slug's body
    private readonly string[] _fallbacks = [];
    private bool _settled;
    private readonly StreamSettings _settings;
    private readonly ViewGeneration _views = new();
    private readonly ChunkData _update;
    private readonly StreamProgress _progress = new();
    private readonly ChatChunkReader _chunks = new();
    private PooledBufferWriter? _body;
    private CancellationToken _cancellation;
    private CancellationTokenSource? _linkedCancellation;
    private int _enumerated;
    private State _state;
    private GatewayResponse? _response;
    private SseSource? _source;
    private CallTelemetry? _telemetry;
    private string? _finishReason;
    private ChatUsage? _usage;
    private readonly ChunkObserver? _observer; // a structured reply's partial objects

    internal ChatStream(GatewayTransport transport, ChatRequest request, PooledBufferWriter body, string model, string[] fallbacks, StreamSettings settings, ChunkObserver? observer, CancellationToken cancellation)
    {
        _observer = observer;
        _transport = transport;
        _subject = "The stream from the gateway at " + transport.Host;
        _request = request;
        _fallbacks = fallbacks;
        _body = body;
        _model = model;
        _settings = settings;
        _cancellation = cancellation;
        _update = new ChunkData(_views);
    }

    private ChatStream(PipeReader capturedStream, int maxEventBytes)
    {
        _subject = "The captured event stream";
        _model = "";
        _settings = new StreamSettings(Timeout.InfiniteTimeSpan, maxEventBytes, ChatCompletionAccumulator.DefaultMaxBytes, ExpectUsage: false);
        _update = new ChunkData(_views);
        _source = new SseSource(capturedStream, ownsPipe: true, maxEventBytes, this, _views);
        _state = State.Reading;
    }

    /// <summary>
    /// Reads a captured Chat Completions event stream (for example a file saved from <c>curl -N</c>) as if it
    /// were arriving from the gateway. The stream is read when enumerated and completed when the enumeration ends.
    /// </summary>
    public static ChatStream FromEventStream(Stream eventStream, int maxEventBytes = SseReader.DefaultMaxEventBytes)
    {
        ArgumentNullException.ThrowIfNull(eventStream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 1024);
        return new ChatStream(new StreamBufferReader(eventStream, bufferSize: 64 * 1024), maxEventBytes);
    }

    /// <summary>Reads a captured Chat Completions event stream from a pipe; see <see cref="FromEventStream(Stream, int)"/>.</summary>
    public static ChatStream FromEventStream(PipeReader eventStream, int maxEventBytes = SseReader.DefaultMaxEventBytes)
    {
        ArgumentNullException.ThrowIfNull(eventStream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 1024);
        return new ChatStream(eventStream, maxEventBytes);
    }

    /// <summary>The request id the gateway assigned, once the response has started.</summary>
    public string? RequestId => _response?.RequestId;

    /// <summary>
    /// The response's HTTP headers once the response has started (empty before, and for a captured stream), as
    /// <see cref="ChatCompletion.ResponseHeaders"/> exposes them.
    /// </summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders => _response?.Headers.Values ?? ResponseHeaderView.None;

    /// <summary>
    /// The slug the stream's request named once it has started: the request's own, or a fallback's when the first could
    /// not answer before its first byte (<see cref="GatewayClientOptions.ModelFallbacks"/>). Empty for a captured stream.
    /// </summary>
    public string ModelSlug => _model;

    /// <summary>
    /// Whether the request asked for usage and the stream ended without it: the server finished every choice, then
    /// fell silent without the usage chunk or <c>[DONE]</c>, and the reply was kept when the idle limit passed.
    /// </summary>
    public bool UsageMissing { get; private set; }

    /// <summary>
    /// An accumulator bounded as this stream is (<see cref="GatewayClientOptions.MaxStreamedBytes"/>), for callers that
    /// fold the updates while reading them; <see cref="ToCompletionAsync"/> does both for you.
    /// </summary>
    public ChatCompletionAccumulator CreateAccumulator() => new() { MaxBytes = _settings.MaxStreamedBytes };

    /// <summary>Starts the stream. It can be enumerated only once.</summary>
    public IAsyncEnumerator<ChatUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
            throw new InvalidOperationException("A ChatStream can be enumerated only once; call StreamAsync again for another reply.");
        if (cancellationToken.CanBeCanceled && cancellationToken != _cancellation)
        {
            // Both the token given to StreamAsync and the one given to WithCancellation must stop the stream.
            _linkedCancellation = _cancellation.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(_cancellation, cancellationToken)
                : null;
            _cancellation = _linkedCancellation?.Token ?? cancellationToken;
        }
        return new Enumerator(this);
    }

    private ValueTask<bool> MoveNextAsync() => _state switch
    {
        State.Reading => _source!.MoveNextAsync(_cancellation),
        State.Created => StartAndMoveNextAsync(),
        _ => new ValueTask<bool>(false),
    };

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> StartAndMoveNextAsync()
    {
        try
        {
            await StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (Failed(ex))
        {
            throw;
        }
        return await _source!.MoveNextAsync(_cancellation).ConfigureAwait(false);
    }

    private async Task StartAsync()
    {
        GatewayTransport transport = _transport!;
        _telemetry = CallTelemetry.Start(_model, _request!.TelemetryParameters(), transport.Options, streaming: true);
        for (int next = 0; ; next++)
        {
            // A stream falls back only before its first byte: here, while no response has started.
            PooledBufferWriter body = _body ??= ChatRequestWriter.WriteBody(_request!, _model, stream: true);
            try
            {
                long tokens = transport.Gate.Estimate(body.WrittenCount, _request!.MaxTokens ?? _request.MaxCompletionTokens, _request.N);
                _response = await transport.SendAsync(body.WrittenMemory, _model, stream: true, tokens, _cancellation).ConfigureAwait(false);
                break;
            }
            catch (GatewayException ex) when (next < _fallbacks.Length && FailureMap.IsModelUnavailable(ex))
            {
                _telemetry?.FellBack(_model, _fallbacks[next], ex);
                _model = _fallbacks[next];
            }
            finally
            {
                body.Dispose();
                _body = null;
            }
        }

        HttpContent content = _response.Message.Content;
        string? mediaType = content.Headers.ContentType?.MediaType;
        if (mediaType is not null && !mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayProtocolException(
                $"The gateway at {transport.Host} answered a streamed request with '{mediaType}' instead of an event stream; it may not support streaming on this endpoint.",
                Details());
        }

        // From here the idle limit, kept by the source around each read, replaces the attempt's deadline.
        _response.EndDeadline();
        Stream stream;
        try
        {
            stream = await content.ReadAsStreamAsync(_cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (!FailureMap.IsCallerCancellation(ex, _cancellation))
        {
            throw FailureMap.FromException(ex, CallPhase.ReadStream, IdleLimit, Context()).Exception;
        }
        IdleTimer? idle = _settings.IdleTimeout == Timeout.InfiniteTimeSpan ? null : new IdleTimer(_settings.IdleTimeout, transport.Time, _cancellation);
        _source = new SseSource(new StreamBufferReader(stream), ownsPipe: true, _settings.MaxEventBytes, this, _views, idle);
        _state = State.Reading;
    }

    SseStep ISseConsumer.OnEvent(EventStreamParser current)
    {
        try
        {
            return Process(current);
        }
        catch (Exception ex) when (Failed(ex))
        {
            throw;
        }
    }

    private SseStep Process(EventStreamParser current)
    {
        ReadOnlyMemory<byte> data = current.Data;
        if (current.HasEventType && !current.EventType.SequenceEqual("message"u8))
        {
            if (current.EventType.SequenceEqual("error"u8))
                throw GatewayErrorFactory.FromStreamErrorEvent(data.Span, _response?.RequestId, Redactor);
            // Other named events (pings, vendor metadata) are not chunks.
            return SseStep.Skip;
        }

        ChatChunkReader.Result result;
        try
        {
            result = _chunks.Read(data, _update);
        }
        catch (JsonException ex)
        {
            throw new GatewayStreamException(
                $"{_subject} carried an event that is not a valid chunk: {ex.Message}",
                Details(), GatewayStreamFailure.Malformed, ex);
        }
        switch (result)
        {
            case ChatChunkReader.Result.Done:
                Finish();
                return SseStep.End;
            case ChatChunkReader.Result.Error:
                throw GatewayErrorFactory.FromStreamErrorEvent(data.Span, _response?.RequestId, Redactor);
        }
        foreach (ChoiceData choice in _update.Choices)
            _finishReason ??= choice.FinishReason;
        if (!StreamProgress.IsValidUtf8(_update))
            throw new GatewayStreamException(
                $"{_subject} carried text that is not valid UTF-8: the reply is malformed.",
                Details(), GatewayStreamFailure.Malformed);
        if (_progress.Add(_update, _settings.MaxStreamedBytes) is { } limit)
            throw new GatewayStreamException(
                $"{_subject} carried {limit}; the reply was abandoned rather than kept in memory.",
                Details(), GatewayStreamFailure.LimitExceeded);
        if (_update.Usage is { } usage)
            _usage = usage;
        _telemetry?.FirstChunk(_update.Text(TextSlot.Model), _update.Text(TextSlot.Id));
        _observer?.Add(_update);
        return SseStep.Update;
    }

    void ISseConsumer.OnEnd()
    {
        // The network has no more bytes: a finished reply ends; one without its end was cut off.
        if (_progress.SawFinishReason)
        {
            Finish();
            return;
        }
        throw Fail(new GatewayStreamException(
            $"{_subject} ended before 'data: [DONE]' or a finish reason: the reply was cut off and is incomplete.",
            Details(), GatewayStreamFailure.CutOff));
    }

    void ISseConsumer.OnFailure(Exception exception)
    {
        if (FailureMap.IsCallerCancellation(exception, _cancellation))
        {
            Failed(exception);
            ExceptionDispatchInfo.Throw(exception);
        }
        if (exception is OperationCanceledException && _progress.AllChoicesFinished)
        {
            // Every choice finished: the reply is whole, only [DONE] (and perhaps the usage asked for) is missing.
            UsageMissing = _settings.ExpectUsage && !_progress.SawUsage;
            Finish();
            return;
        }
        throw Fail(FailureMap.FromException(exception, CallPhase.ReadStream, IdleLimit, Context()).Exception);
    }

    private TimeLimit IdleLimit => new(_settings.IdleTimeout, nameof(GatewayClientOptions.StreamIdleTimeout));

    private FailureMap.Context Context() =>
        new(_transport?.Host ?? "", Attempt: 1, Redactor, Status: 200, _response?.RequestId, _subject);

    /// <summary>An exception filter: tells the call's telemetry, never catches.</summary>
    private bool Failed(Exception exception)
    {
        _telemetry?.Failed(exception);
        return false;
    }

    private Exception Fail(Exception exception)
    {
        _telemetry?.Failed(exception);
        return exception;
    }

    private SecretRedactor Redactor => _transport?.Redactor ?? SecretRedactor.None;

    private GatewayErrorDetails Details() => new(200, null, null, null, _response?.RequestId, Redactor);

    /// <summary>The reply ended whole: the verdict for telemetry, then the bytes and the connection go back.</summary>
    private void Finish()
    {
        _telemetry?.Succeeded(null, null, _finishReason, _usage?.PromptTokens, _usage?.CompletionTokens);
        _state = State.Finished;
        Settle(_usage?.TotalTokens);
        _source?.Complete();
        _response?.Dispose();
    }

    /// <summary>The reply was served: its usage (or, unknown, the estimate) settles the limit reservation, once.</summary>
    private void Settle(long? usedTokens)
    {
        if (_settled || _response?.Ticket is not { } ticket)
            return;
        _settled = true;
        _transport!.Gate.SettleInBackground(ticket, served: true, usedTokens);
    }

    /// <summary>Whether enumeration has begun (it can begin once).</summary>
    private protected bool EnumerationStarted => Volatile.Read(ref _enumerated) != 0;

    /// <summary>The response's headers as a completion keeps them.</summary>
    private protected ResponseHeaderView? HeaderView => _response?.Headers;

    /// <summary>Reads the rest of the stream and returns the accumulated reply.</summary>
    public async Task<ChatCompletion> ToCompletionAsync(CancellationToken cancellationToken = default)
    {
        using ChatCompletionAccumulator accumulator = CreateAccumulator();
        await foreach (ChatUpdate update in WithToken(cancellationToken).ConfigureAwait(false))
            accumulator.Add(update);
        ChatCompletion completion = accumulator.ToCompletion(RequestId);
        completion.HeaderView = _response?.Headers;
        return completion;
    }

    private protected IAsyncEnumerable<ChatUpdate> WithToken(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? new TokenBound(this, cancellationToken) : this;

    private ValueTask DisposeAsync()
    {
        if (_state != State.Disposed)
        {
            // A caller who stops reading early ends the span without a verdict (no-op once it has one).
            _telemetry?.Abandoned();
            bool whole = _state == State.Finished;
            _state = State.Disposed;
            Settle(null);
            _views.Advance(); // an update kept past the stream must not read returned buffers
            _source?.Complete();
            _response?.Dispose();
            _body?.Dispose();
            _body = null;
            _linkedCancellation?.Dispose();
            _observer?.End(whole, _response?.RequestId);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Enumerating is the only way to read the stream; disposing the enumerator releases the connection.</summary>
    private sealed class Enumerator(ChatStream stream) : IAsyncEnumerator<ChatUpdate>
    {
        // Once the stream has ended, the data points at bytes that went back: the view is born stale.
        public ChatUpdate Current => stream._state == State.Reading ? new(stream._update) : ChatUpdate.Stale(stream._update);

        public ValueTask<bool> MoveNextAsync() => stream.MoveNextAsync();

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    private sealed class TokenBound(ChatStream stream, CancellationToken token) : IAsyncEnumerable<ChatUpdate>
    {
        public IAsyncEnumerator<ChatUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            stream.GetAsyncEnumerator(token);
    }
}
