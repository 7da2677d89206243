using System;
using System.Collections.Generic;

namespace AotGateway;

/// <summary>A finished reply: what a non-streamed call returns and what a streamed one accumulates to.</summary>
public sealed class ChatCompletion
{
    /// <summary>The completion id (<c>id</c>).</summary>
    public string? Id { get; init; }

    /// <summary>The object kind (<c>chat.completion</c>).</summary>
    public string? ObjectType { get; init; }

    /// <summary>When the completion was created (<c>created</c>).</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>The model that answered, as the server names it.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// The slug the answered request named: the request's own, or a fallback's when the first could not answer
    /// (<see cref="GatewayClientOptions.ModelFallbacks"/>). Null for a reply the client did not fetch.
    /// </summary>
    public string? ModelSlug { get; internal set; }

    /// <summary>The backend configuration fingerprint (<c>system_fingerprint</c>).</summary>
    public string? SystemFingerprint { get; init; }

    /// <summary>The service tier that served the request (<c>service_tier</c>).</summary>
    public string? ServiceTier { get; init; }

    /// <summary>The generated choices; one unless the request set <see cref="ChatRequest.N"/>.</summary>
    public IReadOnlyList<ChatChoice> Choices { get; init; } = [];

    /// <summary>Token usage, when the server reported it.</summary>
    public ChatUsage? Usage { get; init; }

    /// <summary>The request id from the response headers, for support requests.</summary>
    public string? RequestId { get; init; }

    /// <summary>
    /// The reply's HTTP headers (the gateway's request ids among them): names case-insensitive, repeated values
    /// joined with ", ", any echo of the key removed. Empty for a reply not received over HTTP. Built when first read.
    /// </summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders => HeaderView?.Values ?? ResponseHeaderView.None;

    /// <summary>
    /// The reply's JSON as received, for fields this client does not model; kept only for non-streamed calls of a
    /// client with <see cref="GatewayClientOptions.KeepRawJson"/> set (empty otherwise).
    /// </summary>
    public ReadOnlyMemory<byte> RawJson { get; internal set; }

    internal ResponseHeaderView? HeaderView { get; set; }

    /// <summary>The first choice's message.</summary>
    public ChatMessage? Message => Choices.Count > 0 ? Choices[0].Message : null;

    /// <summary>The first choice's text, or <see langword="null"/>.</summary>
    public string? Content => Message?.Content;

    /// <summary>The first choice's tool calls (empty when none).</summary>
    public IReadOnlyList<ChatToolCall> ToolCalls => Message?.ToolCalls ?? [];

    /// <summary>The first choice's finish reason.</summary>
    public string? FinishReason => Choices.Count > 0 ? Choices[0].FinishReason : null;
}
