using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace AotGateway;

/// <summary>
/// A Chat Completions request. Optional settings left <see langword="null"/> are not sent, so the server's
/// defaults apply. Vendor-specific fields go in <see cref="ExtraBody"/>.
/// </summary>
public sealed class ChatRequest
{
    private JsonObject? _extraBody;

    /// <summary>Creates an empty request; add messages to <see cref="Messages"/>.</summary>
    public ChatRequest()
    {
    }

    /// <summary>Creates a request with these messages.</summary>
    public ChatRequest(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        _messages.AddRange(messages);
    }

    /// <summary>The model slug (<c>org/model</c>); the client's default model when <see langword="null"/>.</summary>
    public string? Model { get; set; }

    /// <summary>The conversation so far.</summary>
    public IList<ChatMessage> Messages => _messages;

    // The writer walks the concrete list: no boxed enumerator per request.
    internal List<ChatMessage> MessageList => _messages;

    private readonly List<ChatMessage> _messages = [];

    /// <summary>Sampling temperature (<c>temperature</c>).</summary>
    public double? Temperature { get; set; }

    /// <summary>Nucleus sampling mass (<c>top_p</c>).</summary>
    public double? TopP { get; set; }

    /// <summary>The legacy output token cap (<c>max_tokens</c>); many OpenAI-compatible servers still expect it.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>The output token cap including reasoning tokens (<c>max_completion_tokens</c>).</summary>
    public int? MaxCompletionTokens { get; set; }

    /// <summary>Sequences that stop generation (<c>stop</c>).</summary>
    public IList<string>? Stop { get; set; }

    /// <summary>A seed for best-effort deterministic sampling (<c>seed</c>).</summary>
    public long? Seed { get; set; }

    /// <summary>How many choices to generate (<c>n</c>).</summary>
    public int? N { get; set; }

    /// <summary>Presence penalty (<c>presence_penalty</c>).</summary>
    public double? PresencePenalty { get; set; }

    /// <summary>Frequency penalty (<c>frequency_penalty</c>).</summary>
    public double? FrequencyPenalty { get; set; }

    /// <summary>Whether to return log probabilities of the output tokens (<c>logprobs</c>).</summary>
    public bool? Logprobs { get; set; }

    /// <summary>How many alternatives to return per token with <see cref="Logprobs"/> (<c>top_logprobs</c>).</summary>
    public int? TopLogprobs { get; set; }

    /// <summary>An end-user identifier for abuse monitoring (<c>user</c>).</summary>
    public string? User { get; set; }

    /// <summary>How much reasoning a reasoning model should do (<c>reasoning_effort</c>: low, medium, high).</summary>
    public string? ReasoningEffort { get; set; }

    /// <summary>The shape of the reply (<c>response_format</c>).</summary>
    public ChatResponseFormat? ResponseFormat { get; set; }

    /// <summary>Functions the model may call (<c>tools</c>).</summary>
    public IList<ChatTool>? Tools { get; set; }

    /// <summary>Whether and which tool must be called (<c>tool_choice</c>).</summary>
    public ChatToolChoice? ToolChoice { get; set; }

    /// <summary>Whether the model may call several tools in one turn (<c>parallel_tool_calls</c>).</summary>
    public bool? ParallelToolCalls { get; set; }

    /// <summary>
    /// For streamed calls: whether the last chunk carries token usage (<c>stream_options.include_usage</c>).
    /// Streamed calls ask for it unless this is <see langword="false"/>; non-streamed calls ignore it.
    /// </summary>
    public bool? IncludeUsage { get; set; }

    /// <summary>
    /// Extra top-level fields sent as they are, for vendor extensions such as <c>chat_template_kwargs</c>.
    /// A name the client already writes is rejected when the request is sent.
    /// </summary>
    public JsonObject ExtraBody => _extraBody ??= new JsonObject();

    internal JsonObject? ExtraBodyOrNull => _extraBody is { Count: > 0 } ? _extraBody : null;

    /// <summary>A shallow copy with another response format, so typed calls never change the caller's request.</summary>
    internal ChatRequest WithResponseFormat(ChatResponseFormat format)
    {
        var copy = (ChatRequest)MemberwiseClone();
        copy.ResponseFormat = format;
        return copy;
    }

    /// <summary>What telemetry records of this request (<c>gen_ai.request.*</c>, <c>gen_ai.output.type</c>).</summary>
    internal RequestParameters TelemetryParameters() => new(
        MaxCompletionTokens ?? MaxTokens, Temperature, TopP, FrequencyPenalty, PresencePenalty, Seed, Stop, N,
        ResponseFormat is null ? null : ResponseFormat.Type == "text" ? "text" : "json");
}
