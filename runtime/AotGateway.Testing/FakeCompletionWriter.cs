using System.Text.Json;

namespace AotGateway.Testing;

/// <summary>Writes a fake completion as a non-streamed <c>chat.completion</c> body.</summary>
internal static class FakeCompletionWriter
{
    public static byte[] Write(FakeCompletion completion, ParsedRequest request, string id, long created) => FakeJson.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("object"u8, "chat.completion"u8);
        w.WriteNumber("created"u8, created);
        w.WriteString("model"u8, request.Model);
        w.WriteString("system_fingerprint"u8, "fp_fake"u8);
        w.WritePropertyName("choices"u8);
        w.WriteStartArray();
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        w.WritePropertyName("message"u8);
        w.WriteStartObject();
        w.WriteString("role"u8, "assistant"u8);
        if (completion.Content is null) w.WriteNull("content"u8); else w.WriteString("content"u8, completion.Content);
        if (completion.Reasoning is not null) w.WriteString("reasoning_content"u8, completion.Reasoning);
        w.WriteNull("refusal"u8);
        if (completion.ToolCalls.Count > 0)
        {
            w.WritePropertyName("tool_calls"u8);
            w.WriteStartArray();
            foreach ((string callId, string name, string arguments) in completion.ToolCalls)
            {
                w.WriteStartObject();
                w.WriteString("id"u8, callId);
                w.WriteString("type"u8, "function"u8);
                w.WritePropertyName("function"u8);
                w.WriteStartObject();
                w.WriteString("name"u8, name);
                w.WriteString("arguments"u8, arguments);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteNull("logprobs"u8);
        w.WriteString("finish_reason"u8, completion.FinishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        WriteUsage(w, completion);
        w.WriteEndObject();
    });

    internal static void WriteUsage(Utf8JsonWriter w, FakeCompletion completion)
    {
        w.WritePropertyName("usage"u8);
        w.WriteStartObject();
        w.WriteNumber("prompt_tokens"u8, completion.PromptTokens);
        w.WriteNumber("completion_tokens"u8, completion.CompletionTokens);
        w.WriteNumber("total_tokens"u8, completion.PromptTokens + completion.CompletionTokens);
        w.WriteEndObject();
    }
}
