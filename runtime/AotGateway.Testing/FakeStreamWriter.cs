using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace AotGateway.Testing;

/// <summary>
/// Writes a fake completion as an event stream the way OpenAI-compatible servers do: a role chunk, reasoning
/// and text a word at a time, tool calls with their arguments in fragments, a finish chunk, an optional
/// usage-only chunk, <c>data: [DONE]</c>, and keep-alive comments in between. One body part per event.
/// </summary>
internal static class FakeStreamWriter
{
    private static readonly byte[] s_keepAlive = Encoding.UTF8.GetBytes(": keep-alive\n\n");
    private static readonly byte[] s_done = Encoding.UTF8.GetBytes("data: [DONE]\n\n");

    public static List<ReadOnlyMemory<byte>> Write(FakeCompletion completion, ParsedRequest request, string id, long created, int keepAliveEvery, int fragmentLength)
    {
        var parts = new List<ReadOnlyMemory<byte>>();
        int chunks = 0;
        void Add(Action<Utf8JsonWriter> delta, string? finishReason = null)
        {
            if (keepAliveEvery > 0 && chunks % keepAliveEvery == 0)
                parts.Add(s_keepAlive);
            chunks++;
            parts.Add(Event(id, created, request.Model, delta, finishReason));
        }

        Add(w => { w.WriteString("role"u8, "assistant"u8); w.WriteString("content"u8, ""u8); });
        foreach (string piece in Words(completion.Reasoning, fragmentLength))
            Add(w => w.WriteString("reasoning_content"u8, piece));
        foreach (string piece in Words(completion.Content, fragmentLength))
            Add(w => w.WriteString("content"u8, piece));
        for (int call = 0; call < completion.ToolCalls.Count; call++)
        {
            (string callId, string name, string arguments) = completion.ToolCalls[call];
            int index = call;
            Add(w => WriteToolCall(w, index, callId, name, ""));
            for (int at = 0; at < arguments.Length; at += fragmentLength)
            {
                string fragment = arguments.Substring(at, Math.Min(fragmentLength, arguments.Length - at));
                Add(w => WriteToolCall(w, index, null, null, fragment));
            }
        }
        Add(_ => { }, completion.FinishReason);
        if (request.IncludeUsage)
        {
            parts.Add(Frame(FakeJson.Write(w =>
            {
                w.WriteStartObject();
                WriteHeader(w, id, created, request.Model);
                w.WritePropertyName("choices"u8);
                w.WriteStartArray();
                w.WriteEndArray();
                FakeCompletionWriter.WriteUsage(w, completion);
                w.WriteEndObject();
            })));
        }
        parts.Add(s_done);
        return parts;
    }

    private static void WriteToolCall(Utf8JsonWriter w, int index, string? id, string? name, string arguments)
    {
        w.WritePropertyName("tool_calls"u8);
        w.WriteStartArray();
        w.WriteStartObject();
        w.WriteNumber("index"u8, index);
        if (id is not null)
        {
            w.WriteString("id"u8, id);
            w.WriteString("type"u8, "function"u8);
        }
        w.WritePropertyName("function"u8);
        w.WriteStartObject();
        if (name is not null) w.WriteString("name"u8, name);
        w.WriteString("arguments"u8, arguments);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static byte[] Event(string id, long created, string model, Action<Utf8JsonWriter> delta, string? finishReason) => Frame(FakeJson.Write(w =>
    {
        w.WriteStartObject();
        WriteHeader(w, id, created, model);
        w.WritePropertyName("choices"u8);
        w.WriteStartArray();
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        w.WritePropertyName("delta"u8);
        w.WriteStartObject();
        delta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs"u8);
        if (finishReason is null) w.WriteNull("finish_reason"u8); else w.WriteString("finish_reason"u8, finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }));

    private static void WriteHeader(Utf8JsonWriter w, string id, long created, string model)
    {
        w.WriteString("id"u8, id);
        w.WriteString("object"u8, "chat.completion.chunk"u8);
        w.WriteNumber("created"u8, created);
        w.WriteString("model"u8, model);
        w.WriteString("system_fingerprint"u8, "fp_fake"u8);
    }

    private static byte[] Frame(byte[] json)
    {
        byte[] framed = new byte[json.Length + 8];
        "data: "u8.CopyTo(framed);
        json.CopyTo(framed, 6);
        framed[^2] = (byte)'\n';
        framed[^1] = (byte)'\n';
        return framed;
    }

    /// <summary>
    /// Splits text into words that keep their leading space, as tokenizers do, and a long run without spaces (JSON of
    /// a structured reply) into pieces of at most <paramref name="maxLength"/> characters, never inside a surrogate pair.
    /// </summary>
    private static IEnumerable<string> Words(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text))
            yield break;
        int start = 0;
        for (int i = 1; i <= text.Length; i++)
        {
            bool cut = i - start >= maxLength && !char.IsLowSurrogate(text[i < text.Length ? i : i - 1]);
            if (i == text.Length || text[i] == ' ' || cut)
            {
                yield return text[start..i];
                start = i;
            }
        }
    }
}
