using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>Writes a <see cref="ChatRequest"/> as the Chat Completions JSON body. Unset options are omitted.</summary>
internal static class ChatRequestWriter
{
    // Every top-level name this writer may emit; ExtraBody must not repeat one (duplicate keys are ambiguous).
    private static readonly HashSet<string> s_writtenNames = new(StringComparer.Ordinal)
    {
        "model", "messages", "stream", "stream_options", "temperature", "top_p", "max_tokens", "max_completion_tokens",
        "stop", "seed", "n", "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs", "user",
        "reasoning_effort", "response_format", "tools", "tool_choice", "parallel_tool_calls",
    };

    /// <summary>The request's JSON body for <paramref name="model"/>, in a pooled buffer the caller disposes.</summary>
    public static PooledBufferWriter WriteBody(ChatRequest request, string model, bool stream)
    {
        var body = new PooledBufferWriter(4096);
        try
        {
            using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = false }))
                Write(writer, request, model, stream);
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public static void Write(Utf8JsonWriter w, ChatRequest request, string model, bool stream)
    {
        w.WriteStartObject();
        w.WriteString("model"u8, model);
        w.WritePropertyName("messages"u8);
        w.WriteStartArray();
        foreach (ChatMessage message in request.MessageList)
            WriteMessage(w, message);
        w.WriteEndArray();

        if (stream)
        {
            w.WriteBoolean("stream"u8, true);
            if (request.IncludeUsage != false)
            {
                w.WritePropertyName("stream_options"u8);
                w.WriteStartObject();
                w.WriteBoolean("include_usage"u8, true);
                w.WriteEndObject();
            }
        }

        if (request.Temperature is { } temperature) w.WriteNumber("temperature"u8, temperature);
        if (request.TopP is { } topP) w.WriteNumber("top_p"u8, topP);
        if (request.MaxTokens is { } maxTokens) w.WriteNumber("max_tokens"u8, maxTokens);
        if (request.MaxCompletionTokens is { } maxCompletion) w.WriteNumber("max_completion_tokens"u8, maxCompletion);
        if (request.Stop is { } stop)
        {
            w.WritePropertyName("stop"u8);
            w.WriteStartArray();
            foreach (string s in stop)
                w.WriteStringValue(s);
            w.WriteEndArray();
        }
        if (request.Seed is { } seed) w.WriteNumber("seed"u8, seed);
        if (request.N is { } n) w.WriteNumber("n"u8, n);
        if (request.PresencePenalty is { } presence) w.WriteNumber("presence_penalty"u8, presence);
        if (request.FrequencyPenalty is { } frequency) w.WriteNumber("frequency_penalty"u8, frequency);
        if (request.Logprobs is { } logprobs) w.WriteBoolean("logprobs"u8, logprobs);
        if (request.TopLogprobs is { } topLogprobs) w.WriteNumber("top_logprobs"u8, topLogprobs);
        if (request.User is { } user) w.WriteString("user"u8, user);
        if (request.ReasoningEffort is { } effort) w.WriteString("reasoning_effort"u8, effort);
        if (request.ResponseFormat is { } format) WriteResponseFormat(w, format);
        if (request.Tools is { Count: > 0 } tools)
        {
            w.WritePropertyName("tools"u8);
            w.WriteStartArray();
            foreach (ChatTool tool in tools)
                WriteTool(w, tool);
            w.WriteEndArray();
        }
        if (request.ToolChoice is { } choice) WriteToolChoice(w, choice);
        if (request.ParallelToolCalls is { } parallel) w.WriteBoolean("parallel_tool_calls"u8, parallel);

        if (request.ExtraBodyOrNull is { } extra)
            WriteExtraBody(w, extra);
        w.WriteEndObject();
    }

    private static void WriteExtraBody(Utf8JsonWriter w, JsonObject extra)
    {
        foreach (KeyValuePair<string, JsonNode?> field in extra)
        {
            if (s_writtenNames.Contains(field.Key))
                throw new ArgumentException(
                    $"ExtraBody sets '{field.Key}', which the client writes itself: set the matching ChatRequest property instead.");
            w.WritePropertyName(field.Key);
            if (field.Value is null)
                w.WriteNullValue();
            else
                field.Value.WriteTo(w);
        }
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        w.WriteStartObject();
        w.WriteString("role"u8, RoleName(message.Role));
        if (message.Parts is { } parts)
        {
            w.WritePropertyName("content"u8);
            w.WriteStartArray();
            foreach (ChatContentPart part in parts)
                WritePart(w, part);
            w.WriteEndArray();
        }
        else if (message.Content is { } content)
        {
            w.WriteString("content"u8, content);
        }
        else if (message.Role != ChatRole.Assistant)
        {
            // Only an assistant message that calls tools may omit content; others send it empty rather than invalid.
            w.WriteString("content"u8, "");
        }
        if (message.Name is { } name) w.WriteString("name"u8, name);
        if (message.Refusal is { } refusal && message.Role == ChatRole.Assistant) w.WriteString("refusal"u8, refusal);
        if (message.ToolCalls is { Count: > 0 } calls)
        {
            w.WritePropertyName("tool_calls"u8);
            WriteToolCalls(w, calls);
        }
        if (message.ToolCallId is { } toolCallId) w.WriteString("tool_call_id"u8, toolCallId);
        w.WriteEndObject();
    }

    /// <summary>A <c>tool_calls</c> array as the wire carries it (also how <c>aotgw sse accumulate</c> prints one).</summary>
    internal static void WriteToolCalls(Utf8JsonWriter w, IReadOnlyList<ChatToolCall> calls)
    {
        w.WriteStartArray();
        foreach (ChatToolCall call in calls)
        {
            w.WriteStartObject();
            w.WriteString("id"u8, call.Id);
            w.WriteString("type"u8, "function"u8);
            w.WritePropertyName("function"u8);
            w.WriteStartObject();
            w.WriteString("name"u8, call.Name);
            w.WriteString("arguments"u8, call.Arguments);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WritePart(Utf8JsonWriter w, ChatContentPart part)
    {
        w.WriteStartObject();
        if (part.ImageUrl is { } url)
        {
            w.WriteString("type"u8, "image_url"u8);
            w.WritePropertyName("image_url"u8);
            w.WriteStartObject();
            w.WriteString("url"u8, url);
            if (part.ImageDetail is { } detail) w.WriteString("detail"u8, detail);
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("type"u8, "text"u8);
            w.WriteString("text"u8, part.Text);
        }
        w.WriteEndObject();
    }

    private static void WriteResponseFormat(Utf8JsonWriter w, ChatResponseFormat format)
    {
        w.WritePropertyName("response_format"u8);
        w.WriteStartObject();
        w.WriteString("type"u8, format.Type);
        if (format.Type == "json_schema")
        {
            w.WritePropertyName("json_schema"u8);
            w.WriteStartObject();
            w.WriteString("name"u8, format.SchemaName);
            if (format.Description is { } description) w.WriteString("description"u8, description);
            w.WritePropertyName("schema"u8);
            w.WriteRawValue(format.Schema.Span);
            if (format.Strict is { } strict) w.WriteBoolean("strict"u8, strict);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteTool(Utf8JsonWriter w, ChatTool tool)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "function"u8);
        w.WritePropertyName("function"u8);
        w.WriteStartObject();
        w.WriteString("name"u8, tool.Name);
        if (tool.Description is { } description) w.WriteString("description"u8, description);
        if (!tool.ParametersSchema.IsEmpty)
        {
            w.WritePropertyName("parameters"u8);
            w.WriteRawValue(tool.ParametersSchema.Span);
        }
        if (tool.Strict is { } strict) w.WriteBoolean("strict"u8, strict);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter w, ChatToolChoice choice)
    {
        if (choice.Mode is { } mode)
        {
            w.WriteString("tool_choice"u8, mode);
            return;
        }
        w.WritePropertyName("tool_choice"u8);
        w.WriteStartObject();
        w.WriteString("type"u8, "function"u8);
        w.WritePropertyName("function"u8);
        w.WriteStartObject();
        w.WriteString("name"u8, choice.FunctionName);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static ReadOnlySpan<byte> RoleName(ChatRole role) => role switch
    {
        ChatRole.System => "system"u8,
        ChatRole.Developer => "developer"u8,
        ChatRole.User => "user"u8,
        ChatRole.Assistant => "assistant"u8,
        ChatRole.Tool => "tool"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown chat role."),
    };
}
