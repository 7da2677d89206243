using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.Extensions.AI;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace AotGateway.Extensions.AI;

/// <summary>An AotGateway <see cref="ChatCompletion"/> → Microsoft.Extensions.AI's response types.</summary>
internal static class ResponseMapping
{
    public static ChatResponse ToResponse(ChatCompletion completion)
    {
        var message = new AiChatMessage(AiChatRole.Assistant, Contents(completion.Message)) { RawRepresentation = completion.Message };
        var response = new ChatResponse(message)
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.Created,
            FinishReason = FinishReason(completion.FinishReason),
            Usage = Usage(completion.Usage),
            RawRepresentation = completion,
        };
        if (completion.RequestId is { } requestId)
            (response.AdditionalProperties ??= [])["request_id"] = requestId;
        return response;
    }

    internal static List<AIContent> Contents(ChatMessage? message)
    {
        var contents = new List<AIContent>();
        if (message is null)
            return contents;
        if (message.Reasoning is { Length: > 0 } reasoning)
            contents.Add(new TextReasoningContent(reasoning));
        if (message.Content is { Length: > 0 } text)
            contents.Add(new TextContent(text));
        if (message.Refusal is { Length: > 0 } refusal)
            contents.Add(new TextContent(refusal) { AdditionalProperties = new() { ["refusal"] = true } });
        if (message.ToolCalls is { } calls)
        {
            foreach (ChatToolCall call in calls)
                contents.Add(FunctionCall(call));
        }
        return contents;
    }

    /// <summary>A call with its arguments parsed; arguments that are not a JSON object are kept as the parse error.</summary>
    internal static FunctionCallContent FunctionCall(ChatToolCall call)
    {
        Dictionary<string, object?>? arguments = null;
        Exception? error = null;
        try
        {
            arguments = ParseArguments(call.Arguments);
        }
        catch (JsonException ex)
        {
            error = ex;
        }
        return new FunctionCallContent(call.Id, call.Name, arguments) { Exception = error, RawRepresentation = call };
    }

    private static Dictionary<string, object?> ParseArguments(string json)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
            return arguments;
        using JsonDocument document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new JsonException("The arguments are not a JSON object.");
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
            arguments[property.Name] = property.Value.Clone();
        return arguments;
    }

    public static ChatFinishReason? FinishReason(string? reason) => reason switch
    {
        null => null,
        ChatFinishReasons.Stop => ChatFinishReason.Stop,
        ChatFinishReasons.Length => ChatFinishReason.Length,
        ChatFinishReasons.ToolCalls or ChatFinishReasons.FunctionCall => ChatFinishReason.ToolCalls,
        ChatFinishReasons.ContentFilter => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };

    public static UsageDetails? Usage(ChatUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.CompletionTokens,
        TotalTokenCount = usage.TotalTokens,
        CachedInputTokenCount = usage.CachedTokens,
        ReasoningTokenCount = usage.ReasoningTokens,
    };
}
