using System;
using System.Diagnostics;
using System.Text.Json;
using AotGateway.Json;

namespace AotGateway;

/// <summary>
/// Reads one <c>chat.completion.chunk</c> payload into a reused <see cref="ChunkData"/> without allocating:
/// strings become slices of the payload, or of a scratch buffer when they contain escapes. Three tiers, tried in
/// order, that must give the same update: the <see cref="ChunkTemplate"/> (the previous chunk's bytes with other
/// strings), the fast path (a grammar-checking scan, see ChatChunkReader.Fast.cs), and the full Utf8JsonReader
/// reader, which also words the errors. (A fourth, a remembered prefix of header fields, was removed when
/// measured equal without it: bench/results/chunk-header-2026-12-01.md.)
/// </summary>
/// <remarks>
/// To add a field of the delta (a text such as <c>refusal</c>; follow it through these files):
/// <list type="number">
/// <item><c>ChoiceData</c>: its memory and presence flag, cleared in <c>Reset</c>, copied in <c>Clone</c>.</item>
/// <item><c>ChatChoiceUpdate</c> (and <c>ChatUpdate</c> if the first choice's value is a shortcut): the public view.</item>
/// <item>The full reader below (<c>ReadDelta</c>'s member loop) and the fast path's member switch in
/// ChatChunkReader.Fast.cs, each reading it the same way; a text the update hands out as a slice gets a
/// <c>ChunkTemplate.Slot</c> and its case where the template applies slots. A value that steers reading (like
/// <c>role</c>) stays out of the template's variable strings.</item>
/// <item><c>StreamProgress</c>: count its bytes against <c>MaxStreamedBytes</c> and check it is UTF-8.</item>
/// <item><c>ChatCompletionAccumulator</c> (fold it into the message) and <c>ChatCompletionReader</c> (the same field
/// of a non-streamed message).</item>
/// <item>Tests: render it in tests' <c>ChunkReading.Describe</c>, so the tier comparisons (ChunkFastPathTests,
/// ChunkTemplateTests) see it, and add a chunk carrying it to ChatChunkReaderTests (a recorded fixture when a real
/// server sends it).</item>
/// </list>
/// A header field (beside <c>id</c>, <c>model</c>, <c>created</c>) goes through <c>ChunkData</c>, both readers and
/// the template's header pieces (<c>ChunkTemplate.Remember</c> and <c>TryApplyCore</c>) instead.
/// </remarks>
internal sealed partial class ChatChunkReader
{
    public enum Result
    {
        Chunk,
        Done,
        Error,
    }

    private readonly ChunkScratch _scratch = new();
    private readonly ChunkTemplate _template = new();

    /// <summary>Off only in tests that compare the fast path with the full reader.</summary>
    internal bool UseFastPath { get; init; } = true;

    /// <summary>How many payloads the full reader had to read (tests check that real chunks take the fast path).</summary>
    internal int FullReads { get; private set; }

    /// <summary>How many payloads matched the remembered chunk template (tests check that it is used).</summary>
    internal int TemplateReuses { get; private set; }

    public Result Read(ReadOnlyMemory<byte> payload, ChunkData update)
    {
        try
        {
            return ReadCore(payload, update);
        }
        catch (Exception ex) when (JsonReading.IsMalformedContent(ex))
        {
            throw new JsonException("The chunk holds malformed content: " + ex.Message, ex);
        }
    }

    private Result ReadCore(ReadOnlyMemory<byte> payload, ChunkData update)
    {
        ReadOnlySpan<byte> span = payload.Span;
        if (span.Trim(" \t\r\n"u8).SequenceEqual("[DONE]"u8))
            return Result.Done;

        update.Reset();
        _scratch.Reset(payload.Length);
        if (UseFastPath)
        {
            if (_template.TryApply(payload, update, _scratch))
            {
                Debug.Assert(update.Usage is null, "a template is never made from a chunk with usage");
                TemplateReuses++;
                return Result.Chunk;
            }
            if (TryReadFast(payload, update, out Result fast))
            {
                if (fast == Result.Chunk)
                    _template.Remember(span, update);
                return fast;
            }
        }

        // Anything the fast path does not take is read in full from the start, errors and all.
        FullReads++;
        update.Reset();
        _scratch.Reset(payload.Length);
        var r = new Utf8JsonReader(span, ChatCompletionReader.ReaderOptions);
        JsonReading.ReadOrThrow(ref r);
        if (r.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"A chunk must be a JSON object but starts with {r.TokenType}.");
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                break;
            if (r.ValueTextEquals("choices"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.StartArray)
                {
                    while (true)
                    {
                        JsonReading.ReadOrThrow(ref r);
                        if (r.TokenType == JsonTokenType.EndArray)
                            break;
                        ReadChoice(ref r, payload, update.AddChoice());
                    }
                }
                else if (r.TokenType != JsonTokenType.Null)
                {
                    throw new JsonException("'choices' must be an array.");
                }
            }
            else if (r.ValueTextEquals("id"u8)) { JsonReading.ReadOrThrow(ref r); update.IdMemory = ReadUtf8(ref r, payload, out _); }
            else if (r.ValueTextEquals("model"u8)) { JsonReading.ReadOrThrow(ref r); update.ModelMemory = ReadUtf8(ref r, payload, out _); }
            else if (r.ValueTextEquals("created"u8)) { JsonReading.ReadOrThrow(ref r); update.CreatedUnixSeconds = JsonReading.ReadInt64OrNull(ref r); }
            else if (r.ValueTextEquals("system_fingerprint"u8)) { JsonReading.ReadOrThrow(ref r); update.SystemFingerprintMemory = ReadUtf8(ref r, payload, out _); }
            else if (r.ValueTextEquals("service_tier"u8)) { JsonReading.ReadOrThrow(ref r); update.ServiceTierMemory = ReadUtf8(ref r, payload, out _); }
            else if (r.ValueTextEquals("usage"u8)) { JsonReading.ReadOrThrow(ref r); update.Usage = ChatCompletionReader.ReadUsage(ref r); }
            else if (r.ValueTextEquals("error"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType != JsonTokenType.Null)
                    return Result.Error;
            }
            else if (r.ValueTextEquals("object"u8))
            {
                // vLLM reports in-stream failures as {"object":"error","message":...}.
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.String && r.ValueTextEquals("error"u8))
                    return Result.Error;
                r.Skip();
            }
            else
            {
                JsonReading.ReadOrThrow(ref r);
                r.Skip();
            }
        }
        return Result.Chunk;
    }

    private void ReadChoice(ref Utf8JsonReader r, ReadOnlyMemory<byte> payload, ChoiceData choice)
    {
        if (r.TokenType != JsonTokenType.StartObject)
            throw new JsonException("Each choice must be an object.");
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                return;
            if (r.ValueTextEquals("delta"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.StartObject)
                    ReadDelta(ref r, payload, choice);
                else if (r.TokenType != JsonTokenType.Null)
                    throw new JsonException("'delta' must be an object.");
            }
            else if (r.ValueTextEquals("index"u8)) { JsonReading.ReadOrThrow(ref r); choice.Index = JsonReading.ReadInt32OrNull(ref r) ?? 0; }
            else if (r.ValueTextEquals("finish_reason"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.String)
                {
                    ReadOnlyMemory<byte> reason = ReadUtf8(ref r, payload, out _);
                    choice.FinishReason = FinishReasonText.FromUtf8(reason.Span);
                }
                else if (r.TokenType != JsonTokenType.Null)
                {
                    throw new JsonException("'finish_reason' must be a string or null.");
                }
            }
            else if (r.ValueTextEquals("logprobs"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.StartObject)
                {
                    int start = (int)r.TokenStartIndex;
                    r.Skip();
                    choice.LogprobsMemory = payload[start..(int)r.BytesConsumed];
                }
                else
                {
                    r.Skip();
                }
            }
            else
            {
                JsonReading.ReadOrThrow(ref r);
                r.Skip();
            }
        }
    }

    private void ReadDelta(ref Utf8JsonReader r, ReadOnlyMemory<byte> payload, ChoiceData choice)
    {
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                return;
            if (r.ValueTextEquals("content"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                choice.ContentMemory = ReadUtf8(ref r, payload, out choice.HasContentValue);
            }
            else if (r.ValueTextEquals("reasoning_content"u8) || r.ValueTextEquals("reasoning"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                ReadOnlyMemory<byte> reasoning = ReadUtf8(ref r, payload, out bool has);
                if (has)
                {
                    choice.ReasoningMemory = reasoning;
                    choice.HasReasoningValue = true;
                }
            }
            else if (r.ValueTextEquals("refusal"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                choice.RefusalMemory = ReadUtf8(ref r, payload, out choice.HasRefusalValue);
            }
            else if (r.ValueTextEquals("role"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.String)
                    choice.Role = ParseRole(ReadUtf8(ref r, payload, out _).Span);
                else
                    r.Skip();
            }
            else if (r.ValueTextEquals("tool_calls"u8))
            {
                JsonReading.ReadOrThrow(ref r);
                if (r.TokenType == JsonTokenType.StartArray)
                {
                    while (true)
                    {
                        JsonReading.ReadOrThrow(ref r);
                        if (r.TokenType == JsonTokenType.EndArray)
                            break;
                        ReadToolCall(ref r, payload, choice.AddToolCall());
                    }
                }
                else if (r.TokenType != JsonTokenType.Null)
                {
                    throw new JsonException("'tool_calls' must be an array.");
                }
            }
            else
            {
                JsonReading.ReadOrThrow(ref r);
                r.Skip();
            }
        }
    }

    private void ReadToolCall(ref Utf8JsonReader r, ReadOnlyMemory<byte> payload, ToolCallData call)
    {
        if (r.TokenType != JsonTokenType.StartObject)
            throw new JsonException("Each tool call must be an object.");
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                return;
            if (r.ValueTextEquals("index"u8)) { JsonReading.ReadOrThrow(ref r); call.Index = JsonReading.ReadInt32OrNull(ref r) ?? 0; }
            else if (r.ValueTextEquals("id"u8)) { JsonReading.ReadOrThrow(ref r); call.IdMemory = ReadUtf8(ref r, payload, out call.HasIdValue); }
            else if (r.ValueTextEquals("function"u8))
            {
                JsonReading.ReadOrThrow(ref r);
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
                    if (r.ValueTextEquals("name"u8)) { JsonReading.ReadOrThrow(ref r); call.NameMemory = ReadUtf8(ref r, payload, out call.HasNameValue); }
                    else if (r.ValueTextEquals("arguments"u8)) { JsonReading.ReadOrThrow(ref r); call.ArgumentsMemory = ReadUtf8(ref r, payload, out _); }
                    else { JsonReading.ReadOrThrow(ref r); r.Skip(); }
                }
            }
            else
            {
                JsonReading.ReadOrThrow(ref r);
                r.Skip();
            }
        }
    }

    private static ChatRole ParseRole(ReadOnlySpan<byte> role)
    {
        if (role.SequenceEqual("assistant"u8)) return ChatRole.Assistant;
        if (role.SequenceEqual("tool"u8)) return ChatRole.Tool;
        if (role.SequenceEqual("user"u8)) return ChatRole.User;
        if (role.SequenceEqual("system"u8)) return ChatRole.System;
        if (role.SequenceEqual("developer"u8)) return ChatRole.Developer;
        return ChatRole.Assistant;
    }

    /// <summary>A string value as UTF-8: a slice of the payload when unescaped, else unescaped into the scratch.</summary>
    private ReadOnlyMemory<byte> ReadUtf8(ref Utf8JsonReader r, ReadOnlyMemory<byte> payload, out bool hasValue)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            hasValue = false;
            return default;
        }
        if (r.TokenType != JsonTokenType.String)
            throw new JsonException($"Expected a string but found {r.TokenType}.");
        hasValue = true;
        if (!r.ValueIsEscaped)
            return payload.Slice((int)r.TokenStartIndex + 1, r.ValueSpan.Length);
        return _scratch.Unescape(ref r);
    }
}
