using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Http;
using AotGateway.Json;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// A client for the Baseten Frontier Gateway and other OpenAI-compatible Chat Completions endpoints.
/// Thread-safe; create one per endpoint and key and reuse it (it pools connections).
/// </summary>
public sealed class GatewayClient : IDisposable
{
    /// <summary>The environment variable holding the API key.</summary>
    public const string ApiKeyVariable = "BASETEN_API_KEY";

    /// <summary>The environment variable that, when set, overrides the base URL.</summary>
    public const string BaseUrlVariable = "BASETEN_BASE_URL";

    /// <summary>The environment variable that, when set, gives the default model slug.</summary>
    public const string ModelVariable = "BASETEN_MODEL";

    private readonly ResolvedOptions _options;
    private readonly GatewayTransport _transport;
    private volatile bool _disposed;

    /// <summary>
    /// Creates a client. Options are checked and copied now: a bad URL, key, slug or header fails here, before any
    /// request, and changing <paramref name="options"/> later does not change this client.
    /// </summary>
    public GatewayClient(GatewayClientOptions options)
    {
        _options = ResolvedOptions.From(options);
        _transport = new GatewayTransport(_options);
    }

    /// <summary>
    /// The handler a client makes when given none, for apps that build their own <see cref="HttpClient"/> (such as
    /// through IHttpClientFactory): no redirects (the key stays with the host you named), a 30 s connect timeout,
    /// connections recycled every 5 minutes, a reply given up mid-stream closed at once instead of drained, and
    /// another HTTP/2 connection when one is full. Decompression only while its feature switch is on.
    /// </summary>
    public static SocketsHttpHandler CreateHttpHandler() => GatewayTransport.CreateDefaultHandler();

    /// <summary>
    /// Creates a client from the environment: the key from <c>BASETEN_API_KEY</c> (required), the base URL
    /// from <c>BASETEN_BASE_URL</c> and the default model from <c>BASETEN_MODEL</c> (both optional).
    /// </summary>
    /// <param name="configure">Adjusts the options after the environment was read.</param>
    /// <exception cref="InvalidOperationException"><c>BASETEN_API_KEY</c> is not set.</exception>
    public static GatewayClient FromEnvironment(Action<GatewayClientOptions>? configure = null) =>
        new(OptionsFromEnvironment(configure));

    /// <summary>Reads the options <see cref="FromEnvironment"/> would use, without creating a client.</summary>
    public static GatewayClientOptions OptionsFromEnvironment(Action<GatewayClientOptions>? configure = null) =>
        OptionsFromEnvironment(Environment.GetEnvironmentVariable, configure);

    internal static GatewayClientOptions OptionsFromEnvironment(Func<string, string?> getVariable, Action<GatewayClientOptions>? configure)
    {
        string? key = getVariable(ApiKeyVariable);
        if (string.IsNullOrWhiteSpace(key))
            throw new InvalidOperationException($"The environment variable {ApiKeyVariable} is not set: set it to your gateway API key.");
        var options = new GatewayClientOptions { ApiKey = key.Trim() };
        string? baseUrl = getVariable(BaseUrlVariable);
        if (!string.IsNullOrWhiteSpace(baseUrl))
        {
            if (!Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out Uri? url))
                throw new InvalidOperationException($"The environment variable {BaseUrlVariable} is not an absolute URL: '{baseUrl}'.");
            options.BaseUrl = url;
        }
        string? model = getVariable(ModelVariable);
        if (!string.IsNullOrWhiteSpace(model))
            options.DefaultModel = model.Trim();
        configure?.Invoke(options);
        return options;
    }

    /// <summary>The endpoint requests go to (<c>{BaseUrl}/chat/completions</c>).</summary>
    public Uri Endpoint => _transport.Endpoint;

    /// <summary>
    /// What telemetry calls the provider (<c>gen_ai.provider.name</c>): <see cref="GatewayClientOptions.ProviderName"/>,
    /// or the name the endpoint implies. The <c>IChatClient</c> adapter reports the same.
    /// </summary>
    public string ProviderName => _options.ProviderName;

    /// <summary>The model used when a request names none.</summary>
    public string? DefaultModel => _options.DefaultModel;

    /// <summary>Sends a request and returns the whole reply.</summary>
    /// <exception cref="GatewayException">A typed failure: authentication, model not found, bad request, rate limit, server, timeout, connection or protocol.</exception>
    public async Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        string model = Prepare(request);
        CallTelemetry? telemetry = CallTelemetry.Start(model, request.TelemetryParameters(), _options, streaming: false);
        try
        {
            ChatCompletion completion = await CompleteWithFallbacksAsync(request, model, telemetry, cancellationToken).ConfigureAwait(false);
            telemetry?.Succeeded(completion.Id, completion.Model, completion.FinishReason, completion.Usage?.PromptTokens, completion.Usage?.CompletionTokens);
            return completion;
        }
        catch (Exception ex) when (telemetry is not null)
        {
            telemetry.Failed(ex);
            throw;
        }
    }

    /// <summary>The request to <paramref name="model"/>, then to its fallbacks in order while a slug cannot answer.</summary>
    private async Task<ChatCompletion> CompleteWithFallbacksAsync(ChatRequest request, string model, CallTelemetry? telemetry, CancellationToken cancellationToken)
    {
        string[] fallbacks = _options.FallbacksOf(model);
        for (int next = 0; ; next++)
        {
            try
            {
                ChatCompletion completion = await CompleteCoreAsync(request, model, cancellationToken).ConfigureAwait(false);
                completion.ModelSlug = model;
                return completion;
            }
            catch (GatewayException ex) when (next < fallbacks.Length && FailureMap.IsModelUnavailable(ex))
            {
                telemetry?.FellBack(model, fallbacks[next], ex);
                model = fallbacks[next];
            }
        }
    }

    private async Task<ChatCompletion> CompleteCoreAsync(ChatRequest request, string model, CancellationToken cancellationToken)
    {
        using PooledBufferWriter body = ChatRequestWriter.WriteBody(request, model, stream: false);
        long tokens = _transport.Gate.Estimate(body.WrittenCount, request.MaxTokens ?? request.MaxCompletionTokens, request.N);
        using GatewayResponse response = await _transport.SendAsync(body.WrittenMemory, model, stream: false, tokens, cancellationToken).ConfigureAwait(false);
        long? used = null;
        try
        {
            ChatCompletion completion = await ReadCompletionAsync(response, cancellationToken).ConfigureAwait(false);
            used = completion.Usage?.TotalTokens;
            return completion;
        }
        finally
        {
            // Served either way: the reply's usage settles the reservation, or the estimate stands.
            if (response.Ticket is { } ticket)
                await _transport.Gate.SettleAsync(ticket, served: true, used).ConfigureAwait(false);
        }
    }

    private async Task<ChatCompletion> ReadCompletionAsync(GatewayResponse response, CancellationToken cancellationToken)
    {
        PooledBufferWriter content;
        bool truncated;
        try
        {
            (content, truncated) = await ResponseBody.ReadAsync(response.Message.Content, _options.MaxResponseBytes, response.Deadline).ConfigureAwait(false);
        }
        catch (Exception ex) when (!FailureMap.IsCallerCancellation(ex, cancellationToken))
        {
            throw FailureMap.FromException(ex, CallPhase.ReadBody, response.Limit,
                _transport.Context(attempt: 1, (int)response.Message.StatusCode, response.RequestId)).Exception;
        }

        using (content)
        {
            if (truncated)
                throw new GatewayProtocolException(
                    $"The response from {_transport.Host} is larger than MaxResponseBytes ({_options.MaxResponseBytes} bytes) and was abandoned.", Details(response));
            try
            {
                ChatCompletion completion = ChatCompletionReader.Read(content.WrittenSpan, response.RequestId);
                completion.HeaderView = response.Headers;
                if (_options.KeepRawJson)
                    completion.RawJson = content.WrittenSpan.ToArray();
                return completion;
            }
            catch (JsonException ex)
            {
                string what = JsonReading.LooksLikeHtml(content.WrittenSpan)
                    ? "an HTML page, likely from a proxy in front of the gateway"
                    : $"not a valid chat completion ({ex.Message})";
                throw new GatewayProtocolException(
                    $"The gateway at {_transport.Host} answered 200 with {what} (content type {response.Message.Content.Headers.ContentType?.MediaType ?? "none"}).",
                    Details(response), ex);
            }
        }
    }

    /// <summary>
    /// Sends a request whose reply must be a <typeparamref name="T"/>: <c>response_format</c> is set to the
    /// type's generated schema (strict), and the reply is parsed with the generated reader. The caller's request is not changed.
    /// </summary>
    /// <exception cref="GatewayStructuredOutputException">The model refused, or the reply does not fit <typeparamref name="T"/> (the text is kept).</exception>
    public async Task<T> CompleteAsync<T>(ChatRequest request, CancellationToken cancellationToken = default) where T : IGatewayJson<T>
    {
        ArgumentNullException.ThrowIfNull(request);
        ChatCompletion completion = await CompleteAsync(request.WithResponseFormat(GatewayJson.ResponseFormat<T>()), cancellationToken).ConfigureAwait(false);
        return completion.ParseContent<T>();
    }

    /// <summary>
    /// Starts a streamed reply that must be a <typeparamref name="T"/>: enumerate its updates and read
    /// <see cref="ChatStream{T}.Partial"/> for the object so far, or call <see cref="ChatStream{T}.ToObjectAsync"/>.
    /// </summary>
    public ChatStream<T> StreamAsync<T>(ChatRequest request, CancellationToken cancellationToken = default) where T : IGatewayJson<T>
    {
        ArgumentNullException.ThrowIfNull(request);
        return StreamOf(request.WithResponseFormat(GatewayJson.ResponseFormat<T>()), GeneratedPartialReader<T>.Create(), cancellationToken);
    }

    /// <summary>
    /// As <see cref="CompleteAsync{T}(ChatRequest, CancellationToken)"/> for a type System.Text.Json already knows:
    /// the strict schema is built from <paramref name="typeInfo"/> (a <c>JsonSerializerContext</c>'s metadata, no
    /// reflection), and the reply is read with it. The caller's request is not changed.
    /// </summary>
    /// <exception cref="GatewayStructuredOutputException">The model refused, or the reply does not fit <typeparamref name="T"/> (the text is kept).</exception>
    public async Task<T> CompleteAsync<T>(ChatRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ChatCompletion completion = await CompleteAsync(request.WithResponseFormat(GatewayJson.ResponseFormat(typeInfo)), cancellationToken).ConfigureAwait(false);
        return completion.ParseContent(typeInfo);
    }

    /// <summary>
    /// As <see cref="StreamAsync{T}(ChatRequest, CancellationToken)"/> for a type System.Text.Json already knows.
    /// Its partials are read with <paramref name="typeInfo"/> from the whole part of the text so far, each time
    /// something became whole: exact, but slower than a generated type's on long replies.
    /// </summary>
    public ChatStream<T> StreamAsync<T>(ChatRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(typeInfo);
        return StreamOf(request.WithResponseFormat(GatewayJson.ResponseFormat(typeInfo)), new TypeInfoPartialReader<T>(typeInfo), cancellationToken);
    }

    private ChatStream<T> StreamOf<T>(ChatRequest request, PartialObjectReader<T> partial, CancellationToken cancellationToken)
    {
        string model = Prepare(request);
        PooledBufferWriter body = ChatRequestWriter.WriteBody(request, model, stream: true);
        return new ChatStream<T>(_transport, request, body, model, _options.FallbacksOf(model), Settings(request), partial, cancellationToken);
    }

    private StreamSettings Settings(ChatRequest request) =>
        new(_options.StreamIdleTimeout, _options.MaxEventBytes, _options.MaxStreamedBytes, ExpectUsage: request.IncludeUsage != false);

    /// <summary>
    /// Starts a streamed reply; the request is sent when enumeration begins. Enumerate the result once with
    /// <c>await foreach</c>, or call <see cref="ChatStream.ToCompletionAsync"/>.
    /// </summary>
    public ChatStream StreamAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        string model = Prepare(request);
        PooledBufferWriter body = ChatRequestWriter.WriteBody(request, model, stream: true);
        return new ChatStream(_transport, request, body, model, _options.FallbacksOf(model), Settings(request), observer: null, cancellationToken);
    }

    /// <summary>Streams only the text of the first choice, one piece per chunk that carries text.</summary>
    public async IAsyncEnumerable<string> StreamTextAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (ChatUpdate update in StreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (!update.ContentUtf8.IsEmpty)
                yield return update.Content!;
        }
    }

    private string Prepare(ChatRequest request)
    {
        // A client over a borrowed HttpClient would otherwise go on working after Dispose, hiding a lifetime bug.
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Messages.Count == 0)
            throw new ArgumentException("The request has no messages: add at least one to ChatRequest.Messages.", nameof(request));
        return ModelSlug.Require(request.Model, _options.DefaultModel);
    }


    private GatewayErrorDetails Details(GatewayResponse response) =>
        new((int)response.Message.StatusCode, null, null, null, response.RequestId, _transport.Redactor);

    /// <summary>
    /// Runs a tool loop: sends <paramref name="request"/> with the set's tool definitions; while the reply asks for
    /// tools, runs every call (concurrently, bounded by <see cref="ToolLoopOptions.MaxConcurrentCalls"/>), appends the
    /// assistant message and one tool message per call to <see cref="ChatRequest.Messages"/>, and asks again.
    /// A tool that throws, an unknown tool or arguments that do not parse become a tool message describing the
    /// error, and the loop goes on; cancellation stops it.
    /// </summary>
    /// <exception cref="GatewayToolLoopException">The model still asked for tools after <see cref="ToolLoopOptions.MaxRounds"/> requests.</exception>
    /// <exception cref="NotSupportedException">The app turned the <c>AotGateway.Tools.Loop</c> feature switch off.</exception>
    public async Task<ToolLoopResult> RunToolsAsync(ChatRequest request, GatewayToolSet tools, ToolLoopOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!FeatureSwitches.IsToolLoopSupported)
            throw FeatureSwitches.ToolLoopRemoved();
        var loop = new ToolLoop(request, tools, options);
        for (int round = 1; ; round++)
        {
            ChatCompletion completion = await CompleteAsync(request, cancellationToken).ConfigureAwait(false);
            await using ToolRound calls = loop.BeginRound(round, cancellationToken);
            if (!await loop.AnswerAsync(completion, calls).ConfigureAwait(false))
                return loop.Finish(completion, round);
            if (round == loop.MaxRounds)
                throw new GatewayToolLoopException(round, completion);
        }
    }

    /// <summary>
    /// The streamed form of <see cref="RunToolsAsync"/>: yields every update of every round as it arrives (text,
    /// and the tool-call fragments of rounds that ask for tools) and runs the tools between rounds. A call starts as
    /// soon as its arguments are complete (the next call's index appears, or the choice finishes), while the rest of
    /// the reply streams; results are still appended in the model's order. Calls started before a reply that then
    /// fails, or that the caller stops reading, are cancelled and waited for.
    /// </summary>
    /// <exception cref="GatewayToolLoopException">The model still asked for tools after <see cref="ToolLoopOptions.MaxRounds"/> requests.</exception>
    /// <exception cref="NotSupportedException">The app turned the <c>AotGateway.Tools.Loop</c> feature switch off.</exception>
    public async IAsyncEnumerable<ChatUpdate> StreamToolsAsync(ChatRequest request, GatewayToolSet tools, ToolLoopOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!FeatureSwitches.IsToolLoopSupported)
            throw FeatureSwitches.ToolLoopRemoved();
        var loop = new ToolLoop(request, tools, options);
        for (int round = 1; ; round++)
        {
            ChatStream stream = StreamAsync(request, cancellationToken);
            ChatCompletion completion;
            await using ToolRound calls = loop.BeginRound(round, cancellationToken);
            using (ChatCompletionAccumulator accumulator = stream.CreateAccumulator())
            {
                EagerToolStarts? eager = loop.StartCallsEarly ? new EagerToolStarts(accumulator, calls) : null;
                await foreach (ChatUpdate update in stream.ConfigureAwait(false))
                {
                    accumulator.Add(update);
                    eager?.Saw(update);
                    yield return update;
                }
                completion = accumulator.ToCompletion(stream.RequestId);
            }
            if (!await loop.AnswerAsync(completion, calls).ConfigureAwait(false))
                yield break;
            if (round == loop.MaxRounds)
                throw new GatewayToolLoopException(round, completion);
        }
    }

    /// <summary>Describes the client without its key.</summary>
    public override string ToString() => $"GatewayClient {{ Endpoint = {Endpoint}, DefaultModel = {_options.DefaultModel ?? "(none)"} }}";

    /// <summary>Releases the connections the client owns.</summary>
    public void Dispose()
    {
        _disposed = true;
        _transport.Dispose();
    }
}
