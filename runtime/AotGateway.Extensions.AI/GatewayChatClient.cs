using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace AotGateway.Extensions.AI;

/// <summary>
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> over a <see cref="GatewayClient"/>: the same wire, errors
/// and retries, with no reflection. Streamed text arrives as it comes; tool calls arrive whole, in the last
/// update of a reply, as <see cref="FunctionCallContent"/> (what <c>FunctionInvokingChatClient</c> expects).
/// </summary>
public sealed class GatewayChatClient : IChatClient
{
    private readonly GatewayClient _client;
    private readonly bool _ownsClient;

    /// <summary>Wraps <paramref name="client"/>; disposing this client disposes it when <paramref name="ownsClient"/> is set.</summary>
    public GatewayChatClient(GatewayClient client, bool ownsClient = false)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _ownsClient = ownsClient;
        Metadata = new ChatClientMetadata(client.ProviderName, client.Endpoint, client.DefaultModel);
    }

    /// <summary>Provider name <c>aotgateway</c>, the endpoint and the default model slug.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatRequest request = RequestMapping.ToRequest(messages, options, this);
        ChatCompletion completion = await _client.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
        return ResponseMapping.ToResponse(completion);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatRequest request = RequestMapping.ToRequest(messages, options, this);
        request.IncludeUsage ??= true;
        ChatStream stream = _client.StreamAsync(request, cancellationToken);
        using ChatCompletionAccumulator accumulator = stream.CreateAccumulator();
        string? responseId = null, modelId = null;
        DateTimeOffset? created = null;
        await foreach (ChatUpdate update in stream.ConfigureAwait(false))
        {
            accumulator.Add(update);
            responseId ??= update.IdUtf8.IsEmpty ? null : update.Id;
            modelId ??= update.ModelUtf8.IsEmpty ? null : update.Model;
            created ??= update.Created;
            List<AIContent>? contents = null;
            if (!update.ReasoningUtf8.IsEmpty)
                (contents ??= []).Add(new TextReasoningContent(Encoding.UTF8.GetString(update.ReasoningUtf8)));
            if (!update.ContentUtf8.IsEmpty)
                (contents ??= []).Add(new TextContent(Encoding.UTF8.GetString(update.ContentUtf8)));
            if (contents is not null)
                yield return new ChatResponseUpdate(AiChatRole.Assistant, contents) { ResponseId = responseId, ModelId = modelId, CreatedAt = created };
        }

        // The end of the reply: whole tool calls, the finish reason and usage, in one last update.
        ChatCompletion completion = accumulator.ToCompletion(stream.RequestId);
        var last = new List<AIContent>();
        foreach (ChatToolCall call in completion.ToolCalls)
            last.Add(ResponseMapping.FunctionCall(call));
        if (ResponseMapping.Usage(completion.Usage) is { } usage)
            last.Add(new UsageContent(usage));
        yield return new ChatResponseUpdate(AiChatRole.Assistant, last)
        {
            ResponseId = responseId,
            ModelId = modelId,
            CreatedAt = created,
            FinishReason = ResponseMapping.FinishReason(completion.FinishReason),
            RawRepresentation = completion,
        };
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(ChatClientMetadata))
            return Metadata;
        if (serviceType == typeof(GatewayClient))
            return _client;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsClient)
            _client.Dispose();
    }
}
