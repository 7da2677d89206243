using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
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
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A stream of chat updates, not a System.IO.Stream; the name is what users look for.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The response is released by the enumerator's DisposeAsync, which await foreach always calls.")]
public sealed partial class ChatStream : IAsyncEnumerable<ChatUpdate>
{
    private enum State
    {
        Created,
        Reading,
        Finished,
        Disposed,
    }

    private readonly GatewayTransport? _transport;
    private readonly string _subject;
    private readonly string _model;
    private readonly TimeSpan _idleTimeout;
    private readonly int _maxEventBytes;
    private readonly int _maxStreamedBytes;
    private readonly bool _expectUsage;
    private readonly ChunkData _update = new();
    private readonly StreamProgress _progress = new();
    private readonly ChatChunkReader _chunks = new();
    private PooledBufferWriter? _body;
    private CancellationToken _cancellation;
    private CancellationTokenSource? _linkedCancellation;
    private State _state;
    private bool _enumerated;
    private GatewayResponse? _response;
    private PipeReader? _pipe;
    private StreamBufferReader? _direct; // _pipe, when it is ours over a stream: read by the pump (ChatStream.Pump.cs)
    private SseReader? _sse;
    private bool _sawDone;
    private bool _sawFinishReason;
    private CallTelemetry? _telemetry;
    private IdleTimer? _idle;
    private string? _finishReason;
    private ChatUsage? _usage;

    internal ChatStream(GatewayTransport transport, PooledBufferWriter body, string model, StreamSettings settings, CancellationToken cancellation)
    {
        _transport = transport;
        _subject = "The stream from the gateway at " + transport.Host;
        _body = body;
        _model = model;
        _idleTimeout = settings.IdleTimeout;
        _maxEventBytes = settings.MaxEventBytes;
        _maxStreamedBytes = settings.MaxStreamedBytes;
        _expectUsage = settings.ExpectUsage;
        _cancellation = cancellation;
    }

    private ChatStream(PipeReader capturedStream, int maxEventBytes)
    {
        _subject = "The captured event stream";
        _model = "";
        _idleTimeout = Timeout.InfiniteTimeSpan;
        _maxEventBytes = maxEventBytes;
        _maxStreamedBytes = ChatCompletionAccumulator.DefaultMaxBytes;
        _pipe = capturedStream;
        _direct = capturedStream as StreamBufferReader;
        _sse = new SseReader(capturedStream, maxEventBytes);
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

    /// <summary>Starts the stream. It can be enumerated only once.</summary>
    public IAsyncEnumerator<ChatUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (_enumerated)
            throw new InvalidOperationException("A ChatStream can be enumerated only once; call StreamAsync again for another reply.");
        _enumerated = true;
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

    private ValueTask<bool> MoveNextAsync()
    {
        try
        {
            // The common case: the next event is already buffered, so no await and no allocation.
            if (_state == State.Reading)
            {
                while (TryReadBufferedEvent(_sse!))
                {
                    if (ProcessEvent())
                        return new ValueTask<bool>(true);
                    if (_state != State.Reading)
                        return new ValueTask<bool>(false);
                }
                if (_direct is not null)
                    return PumpAsync();
            }
            return MoveNextFromNetworkAsync();
        }
        catch (Exception ex) when (RecordFailure(ex))
        {
            throw;
        }
    }

    /// <summary>The next event already read, if any; a grammar error is the stream's typed error on every path.</summary>
    private bool TryReadBufferedEvent(SseReader sse)
    {
        try
        {
            return sse.TryReadBuffered();
        }
        catch (SseFormatException ex)
        {
            throw Malformed(ex);
        }
    }

    private GatewayStreamException Malformed(SseFormatException ex) =>
        new($"{_subject} is malformed: {ex.Message}", Details(), GatewayStreamFailure.Malformed, ex);

    /// <summary>An exception filter: tells the call's telemetry, never catches.</summary>
    private bool RecordFailure(Exception exception)
    {
        _telemetry?.Failed(exception);
        return false;
    }

    /// <summary>Whether an exception from reading the network is the stream's to judge (not the caller's cancellation).</summary>
    private bool IsReadFailure(Exception ex) =>
        ex is OperationCanceledException ? !_cancellation.IsCancellationRequested : ex is InvalidDataException or IOException or HttpRequestException;

    /// <summary>A read failed (<see cref="IsReadFailure"/>): finishes when the reply was whole anyway, else throws the typed error.</summary>
    private void FinishOrThrow(Exception ex)
    {
        switch (ex)
        {
            case OperationCanceledException when _progress.IsComplete(_expectUsage):
                // Every choice finished (and usage came, when asked): the reply is whole, only [DONE] is missing.
                Finish();
                return;
            case OperationCanceledException:
                throw new GatewayTimeoutException(
                    $"{_subject} sent nothing for {_idleTimeout.TotalSeconds:0.###} s and was abandoned. Raise GatewayClientOptions.StreamIdleTimeout if the model pauses longer.",
                    Details(), _idleTimeout, ex);
            case InvalidDataException:
                // Automatic decompression found a Content-Encoding body that does not decode.
                throw new GatewayStreamException($"{_subject} is compressed but does not decompress: {ex.Message}", Details(), GatewayStreamFailure.Malformed, ex);
            default:
                throw new GatewayStreamException(
                    $"{_subject} broke before it finished: {ex.Message}. The reply is incomplete.",
                    Details(), GatewayStreamFailure.ConnectionLost, ex);
        }
    }

    /// <summary>The network has no more bytes: a finished reply ends (false); one without its end was cut off.</summary>
    private bool EndOfStream()
    {
        if (_sawDone || _sawFinishReason)
        {
            Finish();
            return false;
        }
        throw new GatewayStreamException(
            $"{_subject} ended before 'data: [DONE]' or a finish reason: the reply was cut off and is incomplete.",
            Details(), GatewayStreamFailure.CutOff);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> MoveNextFromNetworkAsync()
    {
        try
        {
            if (_state == State.Created)
            {
                await StartAsync().ConfigureAwait(false);
                // A live stream reads through its own reader, which the pump drives from here on.
                if (_direct is not null)
                    return await PumpAsync().ConfigureAwait(false);
            }
            while (_state == State.Reading)
            {
                bool gotEvent;
                CancellationToken token = _response?.Limit.Token ?? _cancellation;
                SseReader sse = _sse!;
                try
                {
                    // SseReader.ReadAsync, unrolled as in the pump (ChatStream.Pump.cs), for a captured stream read
                    // through another pipe. Each read is a wait of its own, so bytes that make no event (a keep-alive
                    // comment, part of an event) restart the idle clock too.
                    while (!(gotEvent = TryReadBufferedEvent(sse)) && sse.PrepareToRead())
                    {
                        _idle?.StartWaiting();
                        sse.Accept(await _pipe!.ReadAsync(token).ConfigureAwait(false));
                        _idle?.StopWaiting();
                    }
                }
                catch (Exception ex) when (IsReadFailure(ex))
                {
                    FinishOrThrow(ex);
                    return false;
                }

                if (!gotEvent)
                    return EndOfStream();
                if (ProcessEvent())
                    return true;
            }
            return false;
        }
        catch (Exception ex) when (RecordFailure(ex))
        {
            throw;
        }
    }

    /// <summary>Handles the current event; true when it produced an update.</summary>
    private bool ProcessEvent()
    {
        SseReader sse = _sse!;
        ReadOnlyMemory<byte> data = sse.Data;
        if (sse.HasEventType && !sse.EventType.SequenceEqual("message"u8))
        {
            if (sse.EventType.SequenceEqual("error"u8))
                throw ErrorEvent(data.Span);
            // Other named events (pings, vendor metadata) are not chunks.
            return false;
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
                _sawDone = true;
                Finish();
                return false;
            case ChatChunkReader.Result.Error:
                throw ErrorEvent(data.Span);
        }
        foreach (ChoiceData choice in _update.Choices)
        {
            if (choice.FinishReason is not null)
            {
                _sawFinishReason = true;
                _finishReason ??= choice.FinishReason;
            }
        }
        if (!StreamProgress.IsValidUtf8(_update))
            throw new GatewayStreamException(
                $"{_subject} carried text that is not valid UTF-8: the reply is malformed.",
                Details(), GatewayStreamFailure.Malformed);
        if (_progress.Add(_update, _maxStreamedBytes) is { } limit)
            throw new GatewayStreamException(
                $"{_subject} carried {limit}; the reply was abandoned rather than kept in memory.",
                Details(), GatewayStreamFailure.LimitExceeded);
        if (_update.Usage is { } usage)
        {
            _usage = usage;
            _progress.SawUsage = true;
        }
        _telemetry?.FirstChunk(_update.ModelUtf8, _update.IdUtf8);
        return true;
    }

    private GatewayStreamException ErrorEvent(ReadOnlySpan<byte> data)
    {
        SecretRedactor redactor = Redactor;
        string? message = null, type = null, code = null;
        if (ErrorBodyReader.TryRead(data, out ErrorBodyReader.ErrorBody error))
        {
            message = redactor.Redact(error.Message);
            type = redactor.Redact(error.Type);
            code = redactor.Redact(error.Code);
        }
        else if (!data.IsEmpty)
        {
            message = redactor.RedactUtf8(data, GatewayErrorFactory.MaxQuotedChars);
        }
        var details = new GatewayErrorDetails(200, type, code, message, _response?.RequestId, redactor);
        return new GatewayStreamException(
            $"The gateway reported an error in the middle of the stream: {message ?? "(no message)"}. The reply is incomplete.",
            details, GatewayStreamFailure.ErrorEvent);
    }

    private SecretRedactor Redactor => _transport?.Redactor ?? SecretRedactor.None;

    private GatewayErrorDetails Details() => new(200, null, null, null, _response?.RequestId, Redactor);

    private async Task StartAsync()
    {
        _telemetry = CallTelemetry.Start(_model, _transport!.Endpoint, streaming: true);
        PooledBufferWriter body = _body!;
        try
        {
            _response = await _transport!.SendAsync(body.WrittenMemory, _model, stream: true, _cancellation).ConfigureAwait(false);
        }
        finally
        {
            body.Dispose();
            _body = null;
        }

        HttpContent content = _response.Message.Content;
        string? mediaType = content.Headers.ContentType?.MediaType;
        if (mediaType is not null && !mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayProtocolException(
                $"The gateway at {_transport!.Host} answered a streamed request with '{mediaType}' instead of an event stream; it may not support streaming on this endpoint.",
                Details());
        }

        // From here the idle timeout, armed around each read, replaces the request timeout.
        _response.Limit.CancelAfter(Timeout.InfiniteTimeSpan);
        Stream stream = await content.ReadAsStreamAsync(_cancellation).ConfigureAwait(false);
        _pipe = _direct = new StreamBufferReader(stream);
        _sse = new SseReader(_pipe, _maxEventBytes);
        if (_idleTimeout != Timeout.InfiniteTimeSpan)
            _idle = new IdleTimer(_response.Limit, _idleTimeout);
        _state = State.Reading;
    }

    private void Finish()
    {
        _telemetry?.Succeeded(null, null, _finishReason, _usage?.PromptTokens, _usage?.CompletionTokens);
        _state = State.Finished;
        ReleaseResponse();
    }

    private void ReleaseResponse()
    {
        _idle?.Dispose(); // before the token source it cancels
        _idle = null;
        _sse?.Dispose();
        _sse = null;
        _pipe?.Complete();
        _pipe = null;
        _direct = null;
        _response?.Dispose();
    }

    /// <summary>Reads the rest of the stream and returns the accumulated reply.</summary>
    public async Task<ChatCompletion> ToCompletionAsync(CancellationToken cancellationToken = default)
    {
        using var accumulator = new ChatCompletionAccumulator { MaxBytes = _maxStreamedBytes };
        await foreach (ChatUpdate update in WithToken(cancellationToken).ConfigureAwait(false))
            accumulator.Add(update);
        ChatCompletion completion = accumulator.ToCompletion(RequestId);
        completion.HeaderView = _response?.Headers;
        return completion;
    }

    private IAsyncEnumerable<ChatUpdate> WithToken(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? new TokenBound(this, cancellationToken) : this;

    private ValueTask DisposeAsync()
    {
        if (_state != State.Disposed)
        {
            // A caller who stops reading early ends the span without a verdict (no-op once it has one).
            _telemetry?.Abandoned();
            _state = State.Disposed;
            _update.Invalidate(); // an update kept past the stream must not read returned buffers
            ReleaseResponse();
            _body?.Dispose();
            _body = null;
            _linkedCancellation?.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Enumerating is the only way to read the stream; disposing the enumerator releases the connection.</summary>
    private sealed class Enumerator(ChatStream stream) : IAsyncEnumerator<ChatUpdate>
    {
        public ChatUpdate Current => new(stream._update);

        public ValueTask<bool> MoveNextAsync() => stream.MoveNextAsync();

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    private sealed class TokenBound(ChatStream stream, CancellationToken token) : IAsyncEnumerable<ChatUpdate>
    {
        public IAsyncEnumerator<ChatUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            stream.GetAsyncEnumerator(token);
    }
}
