using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;
using GatewayChatMessage = AotGateway.ChatMessage;

namespace AotGateway.Extensions.AI;

/// <summary>Microsoft.Extensions.AI messages and options → an AotGateway <see cref="ChatRequest"/>.</summary>
internal static class RequestMapping
{
    /// <summary>
    /// Every <see cref="ChatOptions"/> member is mapped to the wire or refused here; none is dropped
    /// without a word (ChatOptionsConformanceTests lists them all and fails on a new one).
    /// </summary>
    public static ChatRequest ToRequest(IEnumerable<AiChatMessage> messages, ChatOptions? options, GatewayChatClient client)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ChatRequest request = RawRequest(options, client) ?? new ChatRequest();
        if (options?.Instructions is { Length: > 0 } instructions)
            request.Messages.Add(GatewayChatMessage.System(instructions)); // as the OpenAI adapter does: a system message first
        foreach (AiChatMessage message in messages)
            AddMessage(request.Messages, message);
        if (options is not null)
            ApplyOptions(request, options);
        return request;
    }

    /// <summary>
    /// <see cref="ChatOptions.RawRepresentationFactory"/> may hand over a <see cref="ChatRequest"/> to start from:
    /// what it sets wins over the options, its messages come first.
    /// </summary>
    private static ChatRequest? RawRequest(ChatOptions? options, GatewayChatClient client)
    {
        if (options?.RawRepresentationFactory is not { } factory)
            return null;
        return factory(client) switch
        {
            null => null,
            ChatRequest request => request,
            object other => throw new NotSupportedException(
                $"ChatOptions.RawRepresentationFactory returned a {other.GetType().Name}; the AotGateway client starts from an AotGateway.ChatRequest (or null)."),
        };
    }

    private static void AddMessage(IList<GatewayChatMessage> target, AiChatMessage message)
    {
        var text = new StringBuilder();
        List<ChatContentPart>? parts = null;
        List<ChatToolCall>? calls = null;
        foreach (AIContent item in message.Contents)
        {
            switch (item)
            {
                case TextContent t:
                    text.Append(t.Text);
                    (parts ??= []).Add(ChatContentPart.FromText(t.Text));
                    break;
                case UriContent u when u.HasTopLevelMediaType("image"):
                    (parts ??= []).Add(ChatContentPart.FromImageUrl(u.Uri.ToString()));
                    break;
                case DataContent d when d.HasTopLevelMediaType("image"):
                    (parts ??= []).Add(ChatContentPart.FromImageBytes(d.Data.Span, d.MediaType));
                    break;
                case FunctionCallContent call:
                    (calls ??= []).Add(new ChatToolCall(call.CallId, call.Name, ArgumentsJson(call.Arguments)));
                    break;
                case FunctionResultContent result:
                    // Each result is a tool message of its own, answering one call.
                    target.Add(GatewayChatMessage.Tool(result.CallId, ResultText(result.Result)));
                    break;
            }
        }
        if (message.Role == AiChatRole.Tool)
            return;
        string? content = text.Length > 0 ? text.ToString() : null;
        if (message.Role == AiChatRole.Assistant)
        {
            if (calls is not null)
                target.Add(GatewayChatMessage.Assistant(calls, content));
            else if (content is not null)
                target.Add(GatewayChatMessage.Assistant(content));
            return;
        }
        ChatRole role = message.Role == AiChatRole.System ? ChatRole.System : message.Role.Value == "developer" ? ChatRole.Developer : ChatRole.User;
        bool onlyText = parts is null || parts.TrueForAll(p => p.Text is not null);
        target.Add(onlyText
            ? new GatewayChatMessage(role, content ?? "") { Name = message.AuthorName }
            : new GatewayChatMessage(role, null) { Parts = parts, Name = message.AuthorName });
    }

    private static void ApplyOptions(ChatRequest request, ChatOptions options)
    {
        if (options.ConversationId is not null)
            throw new NotSupportedException("ChatOptions.ConversationId is not supported: Chat Completions keeps no conversation on the server; send the whole history in the messages.");
        if (options.ContinuationToken is not null)
            throw new NotSupportedException("ChatOptions.ContinuationToken is not supported: Chat Completions has no background responses to resume.");
        // AllowBackgroundResponses only allows them; a reply that arrives in the foreground honours it.
        request.Model ??= options.ModelId;
        request.Temperature ??= options.Temperature;
        request.TopP ??= options.TopP;
        request.MaxTokens ??= options.MaxOutputTokens;
        request.Seed ??= options.Seed;
        request.PresencePenalty ??= options.PresencePenalty;
        request.FrequencyPenalty ??= options.FrequencyPenalty;
        request.ReasoningEffort ??= ReasoningEffortText(options.Reasoning?.Effort);
        // Reasoning.Output has no Chat Completions field: reasoning text comes back whenever the server sends it.
        if (options.TopK is { } topK && !request.ExtraBody.ContainsKey("top_k"))
            request.ExtraBody["top_k"] = topK; // not in the OpenAI contract; vLLM, SGLang and TensorRT-LLM servers read it
        if (options.StopSequences is { Count: > 0 } stop && request.Stop is null)
            request.Stop = [.. stop];
        if (options.AllowMultipleToolCalls is { } parallel)
            request.ParallelToolCalls ??= parallel;
        if (options.Tools is { Count: > 0 } tools)
        {
            request.Tools ??= new List<ChatTool>();
            foreach (AITool tool in tools)
            {
                if (tool is AIFunctionDeclaration function)
                    request.Tools.Add(ChatTool.Function(function.Name, function.Description, JsonSchemaBytes(function.JsonSchema), strict: tool is GatewayToolFunction ? true : null));
            }
        }
        request.ToolChoice ??= options.ToolMode switch
        {
            NoneChatToolMode => ChatToolChoice.None,
            AutoChatToolMode => ChatToolChoice.Auto,
            RequiredChatToolMode { RequiredFunctionName: { } name } => ChatToolChoice.Function(name),
            RequiredChatToolMode => ChatToolChoice.Required,
            _ => null,
        };
        request.ResponseFormat ??= options.ResponseFormat switch
        {
            ChatResponseFormatJson { Schema: { } schema } json => ChatResponseFormat.JsonSchema(
                json.SchemaName ?? "response", JsonSchemaBytes(schema), strict: true, json.SchemaDescription),
            ChatResponseFormatJson => ChatResponseFormat.JsonObject,
            ChatResponseFormatText => ChatResponseFormat.Text,
            _ => null,
        };
        if (options.AdditionalProperties is { } extra)
        {
            foreach (KeyValuePair<string, object?> field in extra)
            {
                if (!request.ExtraBody.ContainsKey(field.Key))
                    request.ExtraBody[field.Key] = ExtraValue(field.Key, field.Value);
            }
        }
    }

    /// <summary>The wire's words for <see cref="ReasoningEffort"/> (OpenAI's <c>none</c>…<c>xhigh</c>).</summary>
    private static string? ReasoningEffortText(ReasoningEffort? effort) => effort switch
    {
        null => null,
        ReasoningEffort.None => "none",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High => "high",
        ReasoningEffort.ExtraHigh => "xhigh",
        _ => throw new NotSupportedException($"ChatOptions.Reasoning.Effort {effort} has no reasoning_effort value this client knows."),
    };

    private static byte[] JsonSchemaBytes(JsonElement schema) => Encoding.UTF8.GetBytes(schema.GetRawText());

    /// <summary>Vendor fields go into the request body as they are; only JSON-shaped values can, without reflection.</summary>
    private static System.Text.Json.Nodes.JsonNode? ExtraValue(string name, object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b,
        int i => i,
        long l => l,
        double d => d,
        float f => f,
        decimal m => m,
        short h => h,
        byte u8 => u8,
        sbyte i8 => i8,
        ushort u16 => u16,
        uint u32 => u32,
        ulong u64 => u64,
        JsonElement e => System.Text.Json.Nodes.JsonNode.Parse(e.GetRawText()),
        System.Text.Json.Nodes.JsonNode n => n.DeepClone(),
        _ => throw new NotSupportedException($"The additional property '{name}' has a {value.GetType().Name}; give it as a string, number, bool, JsonElement or JsonNode."),
    };

    /// <summary>A call's arguments as the JSON object text the wire carries.</summary>
    internal static string ArgumentsJson(IDictionary<string, object?>? arguments)
    {
        if (arguments is null || arguments.Count == 0)
            return "{}";
        using var buffer = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (KeyValuePair<string, object?> argument in arguments)
            {
                writer.WritePropertyName(argument.Key);
                WriteValue(writer, argument.Key, argument.Value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case JsonElement e: e.WriteTo(writer); break;
            case System.Text.Json.Nodes.JsonNode n: n.WriteTo(writer); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            case float f: writer.WriteNumberValue(f); break;
            case decimal m: writer.WriteNumberValue(m); break;
            default:
                throw new NotSupportedException($"The argument '{name}' is a {value.GetType().Name}, which cannot be written without reflection; pass JSON values (JsonElement, string, number, bool).");
        }
    }

    private static string ResultText(object? result) => result switch
    {
        null => "",
        string s => s,
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText(),
        _ => result.ToString() ?? "",
    };
}
