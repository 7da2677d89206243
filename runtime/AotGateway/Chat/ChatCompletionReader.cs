using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using AotGateway.Json;

namespace AotGateway;

/// <summary>Reads a non-streamed Chat Completions response body. Unknown fields are skipped, never fatal.</summary>
internal static class ChatCompletionReader
{
    internal static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public static ChatCompletion Read(ReadOnlySpan<byte> json, string? requestId)
    {
        var r = new Utf8JsonReader(json, ReaderOptions);
        JsonReading.ReadOrThrow(ref r);
        if (r.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"Expected a JSON object but found {r.TokenType}.");

        string? id = null, obj = null, model = null, fingerprint = null, tier = null;
        DateTimeOffset? created = null;
        List<ChatChoice> choices = [];
        ChatUsage? usage = null;
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                break;
            if (r.ValueTextEquals("id"u8)) { JsonReading.ReadOrThrow(ref r); id = JsonReading.ReadText(ref r); }
            else if (r.ValueTextEquals("object"u8)) { JsonReading.ReadOrThrow(ref r); obj = JsonReading.ReadText(ref r); }
            else if (r.ValueTextEquals("created"u8)) { JsonReading.ReadOrThrow(ref r); created = ReadUnixTime(ref r); }
            else if (r.ValueTextEquals("model"u8)) { JsonReading.ReadOrThrow(ref r); model = JsonReading.ReadText(ref r); }
            else if (r.ValueTextEquals("system_fingerprint"u8)) { JsonReading.ReadOrThrow(ref r); fingerprint = JsonReading.ReadText(ref r); }
            else if (r.ValueTextEquals("service_tier"u8)) { JsonReading.ReadOrThrow(ref r); tier = JsonReading.ReadText(ref r); }
            else if (r.ValueTextEquals("usage"u8)) { JsonReading.ReadOrThrow(ref r); usage = ReadUsage(ref r); }
            else if (r.ValueTextEquals("choices"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.StartArray)
                {
                    while (true)
                    {
                        JsonReading.ReadOrThrow(ref r);
                        if (r.TokenType == JsonTokenType.EndArray)
                            break;
                        choices.Add(ReadChoice(ref r));
                    }
                }
                else if (r.TokenType != JsonTokenType.Null)
                {
                    throw new JsonException("'choices' must be an array.");
                }
            }
            else
            {
                JsonReading.ReadOrThrow(ref r);
                r.Skip();
            }
        }

        return new ChatCompletion
        {
            Id = id,
            ObjectType = obj,
            Created = created,
            Model = model,
            SystemFingerprint = fingerprint,
            ServiceTier = tier,
            Choices = choices,
            Usage = usage,
            RequestId = requestId,
        };
    }

    internal static DateTimeOffset? ReadUnixTime(ref Utf8JsonReader r) =>
        JsonReading.ReadInt64OrNull(ref r) is { } seconds ? FromUnixSeconds(seconds) : null;

    /// <summary>Unix seconds as a time, or null when out of <see cref="DateTimeOffset"/>'s range (a server's odd value costs no reply).</summary>
    internal static DateTimeOffset? FromUnixSeconds(long seconds) =>
        seconds is >= 0 and < 253402300800 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static ChatChoice ReadChoice(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartObject)
            throw new JsonException("Each choice must be an object.");
        int index = 0;
        string? finish = null, stop = null;
        ChatMessage? message = null;
        ChatLogprobs? logprobs = null;
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                break;
            if (r.ValueTextEquals("index"u8)) { JsonReading.ReadOrThrow(ref r); index = JsonReading.ReadInt32OrNull(ref r) ?? 0; }
            else if (r.ValueTextEquals("finish_reason"u8)) { JsonReading.ReadOrThrow(ref r); finish = FinishReasonText.Intern(JsonReading.ReadText(ref r)); }
            else if (r.ValueTextEquals("message"u8)) { JsonReading.ReadOrThrow(ref r); message = ReadMessage(ref r); }
            else if (r.ValueTextEquals("logprobs"u8)) { JsonReading.ReadOrThrow(ref r); logprobs = ReadLogprobs(ref r); }
            else if (r.ValueTextEquals("stop_reason"u8))
            {
                // vLLM's: the stop string, or the stop token's id; as the stream's reader takes it, other values are skipped.
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType is JsonTokenType.String or JsonTokenType.Number)
                    stop = JsonReading.ReadText(ref r);
                else
                    r.Skip();
            }
            else { JsonReading.ReadOrThrow(ref r); r.Skip(); }
        }
        return new ChatChoice(index, message ?? new ChatMessage(ChatRole.Assistant, null), finish, logprobs) { StopReason = stop };
    }

    private static ChatMessage ReadMessage(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null)
            return new ChatMessage(ChatRole.Assistant, null);
        if (r.TokenType != JsonTokenType.StartObject)
            throw new JsonException("'message' must be an object.");
        string? content = null, refusal = null, reasoning = null, name = null;
        ChatRole role = ChatRole.Assistant;
        List<ChatToolCall>? calls = null;
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                break;
            if (r.ValueTextEquals("content"u8)) { JsonReading.ReadOrThrow(ref r); content = ReadContent(ref r); }
            else if (r.ValueTextEquals("role"u8)) { JsonReading.ReadOrThrow(ref r); role = ParseRole(JsonReading.ReadText(ref r)); }
            else if (r.ValueTextEquals("refusal"u8)) { JsonReading.ReadOrThrow(ref r); refusal = JsonReading.ReadText(ref r); }
            else if (r.ValueTextEquals("reasoning_content"u8) || r.ValueTextEquals("reasoning"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                reasoning ??= JsonReading.ReadText(ref r);
            }
            else if (r.ValueTextEquals("name"u8)) { JsonReading.ReadOrThrow(ref r); name = JsonReading.ReadText(ref r); }
            else if (r.ValueTextEquals("tool_calls"u8)) { JsonReading.ReadOrThrow(ref r); calls = ReadToolCalls(ref r); }
            else { JsonReading.ReadOrThrow(ref r); r.Skip(); }
        }
        return new ChatMessage(role, content)
        {
            Refusal = refusal,
            Reasoning = reasoning,
            Name = name,
            ToolCalls = calls,
        };
    }

    /// <summary>Content is text, null, or (from some servers) an array of text parts, which is joined.</summary>
    private static string? ReadContent(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartArray)
            return JsonReading.ReadText(ref r);
        var text = new StringBuilder();
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
                break;
            if (r.TokenType != JsonTokenType.StartObject)
            {
                r.Skip();
                continue;
            }
            while (true)
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.EndObject)
                    break;
                bool isText = r.ValueTextEquals("text"u8);
                JsonReading.ReadOrThrow(ref r);
                if (isText && r.TokenType == JsonTokenType.String)
                    text.Append(JsonReading.GetString(ref r));
                else
                    r.Skip();
            }
        }
        return text.ToString();
    }

    private static List<ChatToolCall>? ReadToolCalls(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.StartArray)
            throw new JsonException("'tool_calls' must be an array.");
        List<ChatToolCall> calls = [];
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
                break;
            if (r.TokenType != JsonTokenType.StartObject)
                throw new JsonException("Each tool call must be an object.");
            string? id = null, name = null, arguments = null;
            while (true)
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.EndObject)
                    break;
                if (r.ValueTextEquals("id"u8)) { JsonReading.ReadOrThrow(ref r); id = JsonReading.ReadText(ref r); }
                else if (r.ValueTextEquals("function"u8))
                {
                    JsonReading.ReadOrThrow(ref r);
                    if (r.TokenType != JsonTokenType.StartObject)
                        throw new JsonException("'function' must be an object.");
                    while (true)
                    {
                        JsonReading.ReadOrThrow(ref r);
                        if (r.TokenType == JsonTokenType.EndObject)
                            break;
                        if (r.ValueTextEquals("name"u8)) { JsonReading.ReadOrThrow(ref r); name = JsonReading.ReadText(ref r); }
                        else if (r.ValueTextEquals("arguments"u8))
                        {
                            JsonReading.ReadOrThrow(ref r);
                            // Some servers send the arguments as an object rather than a JSON string; keep its text.
                            arguments = JsonReading.ReadText(ref r);
                        }
                        else { JsonReading.ReadOrThrow(ref r); r.Skip(); }
                    }
                }
                else { JsonReading.ReadOrThrow(ref r); r.Skip(); }
            }
            calls.Add(new ChatToolCall(id ?? "", name ?? "", arguments ?? "{}"));
        }
        return calls;
    }

    /// <summary>
    /// Reads token usage. Usage is bookkeeping, never worth the reply it comes with: a usage that is not an
    /// object is dropped, and a count that is not a non-negative 32-bit integer (1e20, 1e999, -1, "12") is
    /// clamped to <see cref="int.MaxValue"/> when it is too large and left out otherwise.
    /// </summary>
    internal static ChatUsage? ReadUsage(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.StartObject)
        {
            r.Skip();
            return null;
        }
        int prompt = 0, completion = 0, total = 0;
        int? cached = null, promptAudio = null, reasoning = null, completionAudio = null, accepted = null, rejected = null;
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                break;
            if (r.ValueTextEquals("prompt_tokens"u8)) { JsonReading.ReadOrThrow(ref r); prompt = ReadCount(ref r) ?? 0; }
            else if (r.ValueTextEquals("completion_tokens"u8)) { JsonReading.ReadOrThrow(ref r); completion = ReadCount(ref r) ?? 0; }
            else if (r.ValueTextEquals("total_tokens"u8)) { JsonReading.ReadOrThrow(ref r); total = ReadCount(ref r) ?? 0; }
            else if (r.ValueTextEquals("prompt_tokens_details"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                ReadDetails(ref r, "cached_tokens"u8, ref cached, "audio_tokens"u8, ref promptAudio, default, ref accepted, default, ref rejected);
            }
            else if (r.ValueTextEquals("completion_tokens_details"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                ReadDetails(ref r, "reasoning_tokens"u8, ref reasoning, "audio_tokens"u8, ref completionAudio,
                    "accepted_prediction_tokens"u8, ref accepted, "rejected_prediction_tokens"u8, ref rejected);
            }
            else { JsonReading.ReadOrThrow(ref r); r.Skip(); }
        }
        return new ChatUsage
        {
            PromptTokens = prompt,
            CompletionTokens = completion,
            TotalTokens = total,
            CachedTokens = cached,
            PromptAudioTokens = promptAudio,
            ReasoningTokens = reasoning,
            CompletionAudioTokens = completionAudio,
            AcceptedPredictionTokens = accepted,
            RejectedPredictionTokens = rejected,
        };
    }

    /// <summary>A token count: clamped when too large for an int, null when it is not a count at all.</summary>
    private static int? ReadCount(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.Number)
        {
            r.Skip();
            return null;
        }
        if (r.TryGetInt32(out int value))
            return value >= 0 ? value : null;
        if (r.TryGetDouble(out double number))
            return number < 0 ? null : number >= int.MaxValue ? int.MaxValue : (int)number;
        // Past double's range TryGetDouble fails: the sign is the first byte.
        return r.ValueSpan.Length > 0 && r.ValueSpan[0] == (byte)'-' ? null : int.MaxValue;
    }

    private static void ReadDetails(
        ref Utf8JsonReader r,
        ReadOnlySpan<byte> name1, ref int? value1, ReadOnlySpan<byte> name2, ref int? value2,
        ReadOnlySpan<byte> name3, ref int? value3, ReadOnlySpan<byte> name4, ref int? value4)
    {
        if (r.TokenType != JsonTokenType.StartObject)
        {
            r.Skip();
            return;
        }
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                return;
            int which = r.ValueTextEquals(name1) ? 1 : r.ValueTextEquals(name2) ? 2
                : !name3.IsEmpty && r.ValueTextEquals(name3) ? 3 : !name4.IsEmpty && r.ValueTextEquals(name4) ? 4 : 0;
            JsonReading.ReadOrThrow(ref r);
            switch (which)
            {
                case 1: value1 = ReadCount(ref r); break;
                case 2: value2 = ReadCount(ref r); break;
                case 3: value3 = ReadCount(ref r); break;
                case 4: value4 = ReadCount(ref r); break;
                default: r.Skip(); break;
            }
        }
    }

    internal static ChatLogprobs? ReadLogprobs(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.StartObject)
            throw new JsonException("'logprobs' must be an object.");
        List<ChatTokenLogprob>? content = null, refusal = null;
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                break;
            bool isContent = r.ValueTextEquals("content"u8);
            bool isRefusal = r.ValueTextEquals("refusal"u8);
            JsonReading.ReadOrThrow(ref r);
            if (isContent) content = ReadTokenList(ref r);
            else if (isRefusal) refusal = ReadTokenList(ref r);
            else r.Skip();
        }
        return new ChatLogprobs(content, refusal);
    }

    private static List<ChatTokenLogprob>? ReadTokenList(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null)
            return null;
        if (r.TokenType != JsonTokenType.StartArray)
            throw new JsonException("Token log probabilities must be an array.");
        List<ChatTokenLogprob> list = [];
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
                return list;
            list.Add(ReadToken(ref r));
        }
    }

    private static ChatTokenLogprob ReadToken(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A token log probability must be an object.");
        string token = "";
        double logprob = 0;
        List<int>? bytes = null;
        List<ChatTokenLogprob>? top = null;
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                break;
            if (r.ValueTextEquals("token"u8)) { JsonReading.ReadOrThrow(ref r); token = JsonReading.ReadText(ref r) ?? ""; }
            else if (r.ValueTextEquals("logprob"u8)) { JsonReading.ReadOrThrow(ref r); logprob = JsonReading.ReadDoubleOrNull(ref r) ?? 0; }
            else if (r.ValueTextEquals("bytes"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.StartArray)
                {
                    bytes = [];
                    while (true)
                    {
                        JsonReading.ReadOrThrow(ref r);
                        if (r.TokenType == JsonTokenType.EndArray)
                            break;
                        bytes.Add(JsonReading.ReadInt32OrNull(ref r) ?? throw new JsonException("'bytes' must be an array of integers."));
                    }
                }
                else if (r.TokenType != JsonTokenType.Null)
                {
                    throw new JsonException("'bytes' must be an array of integers.");
                }
            }
            else if (r.ValueTextEquals("top_logprobs"u8)) { JsonReading.ReadOrThrow(ref r); top = ReadTokenList(ref r); }
            else { JsonReading.ReadOrThrow(ref r); r.Skip(); }
        }
        return new ChatTokenLogprob(token, logprob, bytes, (IReadOnlyList<ChatTokenLogprob>?)top ?? []);
    }

    internal static ChatRole ParseRole(string? role) => role switch
    {
        "system" => ChatRole.System,
        "developer" => ChatRole.Developer,
        "user" => ChatRole.User,
        "tool" => ChatRole.Tool,
        _ => ChatRole.Assistant,
    };
}
