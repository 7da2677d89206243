using System;
using System.Text.Json;
using AotGateway.Json;

namespace AotGateway;

/// <summary>
/// The fast path: chunks as servers actually write them, read with <see cref="JsonScanner"/>, which checks the
/// grammar without tokenizing what a chunk reader has no use for (the header strings, <c>logprobs: null</c>,
/// unknown fields). It mirrors the full reader field by field and answers <see langword="false"/> at anything
/// unusual (escaped names, fractional integers, odd types, deep nesting), so the full reader decides those:
/// the two paths can differ in speed, never in result. Measured in bench/: the chunk cost drops below a bare
/// Utf8JsonReader pass over the same bytes.
/// </summary>
internal sealed partial class ChatChunkReader
{
    private bool TryReadFast(ReadOnlyMemory<byte> payload, ChunkData update, out Result result)
    {
        result = Result.Chunk;
        var s = new JsonScanner(payload.Span);
        if (!s.TryConsume((byte)'{'))
            return false;
        if (s.TryConsume((byte)'}'))
            return s.AtEnd;
        do
        {
            if (!s.TryReadPropertyName(out ReadOnlySpan<byte> name))
                return false;
            bool ok;
            switch (name.Length)
            {
                case 7 when name.SequenceEqual("choices"u8):
                    ok = TryReadChoices(ref s, payload, update);
                    break;
                case 2 when name.SequenceEqual("id"u8):
                    ok = TryReadUtf8(ref s, payload, out update.IdMemory, out _);
                    break;
                case 5 when name.SequenceEqual("model"u8):
                    ok = TryReadUtf8(ref s, payload, out update.ModelMemory, out _);
                    break;
                case 7 when name.SequenceEqual("created"u8):
                    ok = s.TryReadInt64OrNull(out long? created);
                    update.CreatedUnixSeconds = created;
                    break;
                case 18 when name.SequenceEqual("system_fingerprint"u8):
                    ok = TryReadUtf8(ref s, payload, out update.SystemFingerprintMemory, out _);
                    break;
                case 12 when name.SequenceEqual("service_tier"u8):
                    ok = TryReadUtf8(ref s, payload, out update.ServiceTierMemory, out _);
                    break;
                case 5 when name.SequenceEqual("usage"u8):
                    ok = TryReadUsage(ref s, payload.Span, update);
                    break;
                case 5 when name.SequenceEqual("error"u8):
                    if (s.TryReadNull())
                    {
                        ok = true;
                        break;
                    }
                    // The full reader stops at the error's first token, so only that token must be sound.
                    if (s.Peek() is (byte)'{' or (byte)'[' || s.TrySkipValue())
                    {
                        result = Result.Error;
                        return true;
                    }
                    return false;
                case 6 when name.SequenceEqual("object"u8):
                    if (s.Peek() == (byte)'"')
                    {
                        ok = s.TryReadString(out int start, out int length, out bool escaped);
                        if (ok && escaped)
                            return false;
                        if (ok && payload.Span.Slice(start, length).SequenceEqual("error"u8))
                        {
                            result = Result.Error;
                            return true;
                        }
                    }
                    else
                    {
                        ok = s.TrySkipValue();
                    }
                    break;
                default:
                    ok = TrySkipUnknown(ref s);
                    break;
            }
            if (!ok)
                return false;
        }
        while (s.TryConsume((byte)','));
        return s.TryConsume((byte)'}') && s.AtEnd;
    }

    private bool TryReadChoices(ref JsonScanner s, ReadOnlyMemory<byte> payload, ChunkData update)
    {
        if (s.TryReadNull())
            return true;
        if (!s.TryConsume((byte)'['))
            return false;
        if (s.TryConsume((byte)']'))
            return true;
        do
        {
            if (!TryReadChoice(ref s, payload, AddChoice(update)))
                return false;
        }
        while (s.TryConsume((byte)','));
        return s.TryConsume((byte)']');
    }

    private bool TryReadChoice(ref JsonScanner s, ReadOnlyMemory<byte> payload, ChoiceData choice)
    {
        if (!s.TryConsume((byte)'{'))
            return false;
        if (s.TryConsume((byte)'}'))
            return true;
        do
        {
            if (!s.TryReadPropertyName(out ReadOnlySpan<byte> name))
                return false;
            bool ok;
            switch (name.Length)
            {
                case 5 when name.SequenceEqual("delta"u8):
                    ok = s.TryReadNull() || TryReadDelta(ref s, payload, choice);
                    break;
                case 5 when name.SequenceEqual("index"u8):
                    ok = TryReadIndex(ref s, out int index);
                    choice.Index = index;
                    break;
                case 13 when name.SequenceEqual("finish_reason"u8):
                    if (s.TryReadNull())
                    {
                        ok = true;
                    }
                    else
                    {
                        ok = TryReadUtf8(ref s, payload, out ReadOnlyMemory<byte> reason, out _);
                        if (ok)
                            choice.FinishReason = FinishReasonText.FromUtf8(reason.Span);
                    }
                    break;
                case 8 when name.SequenceEqual("logprobs"u8):
                    if (s.Peek() == (byte)'{')
                    {
                        ok = s.TrySkipValue(out int start, out int end);
                        choice.LogprobsMemory = payload[start..end];
                    }
                    else
                    {
                        ok = s.TrySkipValue();
                    }
                    break;
                default:
                    ok = TrySkipUnknown(ref s);
                    break;
            }
            if (!ok)
                return false;
        }
        while (s.TryConsume((byte)','));
        return s.TryConsume((byte)'}');
    }

    private bool TryReadDelta(ref JsonScanner s, ReadOnlyMemory<byte> payload, ChoiceData choice)
    {
        if (!s.TryConsume((byte)'{'))
            return false;
        if (s.TryConsume((byte)'}'))
            return true;
        do
        {
            if (!s.TryReadPropertyName(out ReadOnlySpan<byte> name))
                return false;
            bool ok;
            switch (name.Length)
            {
                case 7 when name.SequenceEqual("content"u8):
                    ok = TryReadText(ref s, payload, ChunkTemplate.Slot.Content, out choice.ContentMemory, out choice.HasContentValue);
                    break;
                case 17 when name.SequenceEqual("reasoning_content"u8):
                case 9 when name.SequenceEqual("reasoning"u8):
                    ok = TryReadText(ref s, payload, ChunkTemplate.Slot.Reasoning, out ReadOnlyMemory<byte> reasoning, out bool has);
                    if (has)
                    {
                        choice.ReasoningMemory = reasoning;
                        choice.HasReasoningValue = true;
                    }
                    break;
                case 7 when name.SequenceEqual("refusal"u8):
                    ok = TryReadText(ref s, payload, ChunkTemplate.Slot.Refusal, out choice.RefusalMemory, out choice.HasRefusalValue);
                    break;
                case 4 when name.SequenceEqual("role"u8):
                    if (s.Peek() == (byte)'"')
                    {
                        ok = s.TryReadString(out int start, out int length, out bool escaped) && !escaped;
                        if (ok)
                            choice.Role = ParseRole(payload.Span.Slice(start, length));
                    }
                    else
                    {
                        ok = s.TrySkipValue();
                    }
                    break;
                case 10 when name.SequenceEqual("tool_calls"u8):
                    ok = s.TryReadNull() || TryReadToolCalls(ref s, payload, choice);
                    break;
                default:
                    ok = TrySkipUnknown(ref s);
                    break;
            }
            if (!ok)
                return false;
        }
        while (s.TryConsume((byte)','));
        return s.TryConsume((byte)'}');
    }

    private bool TryReadToolCalls(ref JsonScanner s, ReadOnlyMemory<byte> payload, ChoiceData choice)
    {
        if (!s.TryConsume((byte)'['))
            return false;
        if (s.TryConsume((byte)']'))
            return true;
        do
        {
            if (!TryReadToolCall(ref s, payload, AddToolCall(choice)))
                return false;
        }
        while (s.TryConsume((byte)','));
        return s.TryConsume((byte)']');
    }

    private bool TryReadToolCall(ref JsonScanner s, ReadOnlyMemory<byte> payload, ToolCallData call)
    {
        if (!s.TryConsume((byte)'{'))
            return false;
        if (s.TryConsume((byte)'}'))
            return true;
        do
        {
            if (!s.TryReadPropertyName(out ReadOnlySpan<byte> name))
                return false;
            bool ok;
            if (name.SequenceEqual("index"u8))
            {
                ok = TryReadIndex(ref s, out int index);
                call.Index = index;
            }
            else if (name.SequenceEqual("id"u8))
            {
                ok = TryReadText(ref s, payload, ChunkTemplate.Slot.ToolCallId, out call.IdMemory, out call.HasIdValue);
            }
            else if (name.SequenceEqual("function"u8) && s.Peek() == (byte)'{')
            {
                ok = TryReadFunction(ref s, payload, call);
            }
            else
            {
                ok = TrySkipUnknown(ref s);
            }
            if (!ok)
                return false;
        }
        while (s.TryConsume((byte)','));
        return s.TryConsume((byte)'}');
    }

    private bool TryReadFunction(ref JsonScanner s, ReadOnlyMemory<byte> payload, ToolCallData call)
    {
        if (!s.TryConsume((byte)'{'))
            return false;
        if (s.TryConsume((byte)'}'))
            return true;
        do
        {
            if (!s.TryReadPropertyName(out ReadOnlySpan<byte> name))
                return false;
            bool ok;
            if (name.SequenceEqual("name"u8))
                ok = TryReadText(ref s, payload, ChunkTemplate.Slot.ToolCallName, out call.NameMemory, out call.HasNameValue);
            else if (name.SequenceEqual("arguments"u8))
                ok = TryReadText(ref s, payload, ChunkTemplate.Slot.ToolCallArguments, out call.ArgumentsMemory, out _);
            else
                ok = TrySkipUnknown(ref s);
            if (!ok)
                return false;
        }
        while (s.TryConsume((byte)','));
        return s.TryConsume((byte)'}');
    }

    /// <summary>An index as the full reader takes it: a 32-bit integer, or null meaning 0.</summary>
    private static bool TryReadIndex(ref JsonScanner s, out int index)
    {
        index = 0;
        if (!s.TryReadInt64OrNull(out long? value) || value is < int.MinValue or > int.MaxValue)
            return false;
        index = (int)(value ?? 0);
        return true;
    }

    /// <summary>The usage object appears once a stream; the full reader's code reads it from the raw slice.</summary>
    private static bool TryReadUsage(ref JsonScanner s, ReadOnlySpan<byte> payload, ChunkData update)
    {
        // Most chunks say "usage":null; a reader for that would cost more than the rest of the chunk.
        if (s.TryReadNull())
        {
            update.Usage = null;
            return true;
        }
        if (!s.TrySkipValue(out int start, out int end))
            return false;
        var r = new Utf8JsonReader(payload[start..end], ChatCompletionReader.ReaderOptions);
        JsonReading.ReadOrThrow(ref r);
        update.Usage = ChatCompletionReader.ReadUsage(ref r);
        return true;
    }

    private ChoiceData AddChoice(ChunkData update)
    {
        _template.OnChoice();
        return update.AddChoice();
    }

    private ToolCallData AddToolCall(ChoiceData choice)
    {
        _template.OnToolCall();
        return choice.AddToolCall();
    }

    /// <summary>Skips a member the reader has no use for; a string value is one the template lets vary.</summary>
    private bool TrySkipUnknown(ref JsonScanner s)
    {
        if (s.Peek() != (byte)'"')
            return s.TrySkipValue();
        if (!s.TryReadString(out int start, out int length, out _))
            return false;
        _template.Record(ChunkTemplate.Slot.Unused, start, length);
        return true;
    }

    /// <summary>A text the update hands out (content, arguments, …): read as UTF-8 and recorded for the template.</summary>
    private bool TryReadText(ref JsonScanner s, ReadOnlyMemory<byte> payload, ChunkTemplate.Slot slot, out ReadOnlyMemory<byte> text, out bool hasValue)
    {
        if (!TryReadUtf8(ref s, payload, out text, out hasValue, out int start, out int length))
            return false;
        _template.Record(slot, hasValue ? start : -1, length);
        return true;
    }

    /// <summary>A string or null as UTF-8: a slice of the payload, or unescaped into the scratch.</summary>
    private bool TryReadUtf8(ref JsonScanner s, ReadOnlyMemory<byte> payload, out ReadOnlyMemory<byte> text, out bool hasValue) =>
        TryReadUtf8(ref s, payload, out text, out hasValue, out _, out _);

    private bool TryReadUtf8(ref JsonScanner s, ReadOnlyMemory<byte> payload, out ReadOnlyMemory<byte> text, out bool hasValue, out int start, out int length)
    {
        text = default;
        hasValue = false;
        start = 0;
        length = 0;
        if (s.TryReadNull())
            return true;
        if (!s.TryReadString(out start, out length, out bool escaped))
            return false;
        hasValue = true;
        text = escaped ? _scratch.Unescape(payload.Span, start, length) : payload.Slice(start, length);
        return true;
    }
}
