using System;
using System.Text.Json;
using AotGateway.Json;

namespace AotGateway;

/// <summary>
/// The fast path: chunks as servers actually write them, read with <see cref="JsonScanner"/>, which checks the
/// grammar without tokenizing what a chunk reader has no use for (unknown members, <c>logprobs: null</c>). It walks
/// the same <see cref="ChunkSchema"/> as the full reader and answers <see langword="false"/> at anything unusual
/// (escaped names, fractional integers, odd types, deep nesting), so the full reader decides those: the two paths
/// can differ in speed, never in result. While it reads, it tells the template which values vary.
/// </summary>
internal sealed partial class ChatChunkReader
{
    private bool TryReadFast(ReadOnlyMemory<byte> payload, ChunkData update, out Result result)
    {
        result = Result.Chunk;
        var s = new JsonScanner(payload.Span);
        if (!TryReadObjectFast(ref s, payload, ChunkLevel.Root, update, null, null, ref result))
            return false;
        return result == Result.Error || s.AtEnd;
    }

    private bool TryReadObjectFast(ref JsonScanner s, ReadOnlyMemory<byte> payload, ChunkLevel level, ChunkData chunk, ChoiceData? choice, ToolCallData? call, ref Result result)
    {
        if (!s.TryConsume((byte)'{'))
            return false;
        if (s.TryConsume((byte)'}'))
            return true;
        ChunkMember[] members = ChunkSchema.Members(level);
        do
        {
            if (!s.TryReadPropertyName(out ReadOnlySpan<byte> name))
                return false;
            ChunkMember? member = ChunkSchema.Find(members, name);
            bool ok = member is null
                ? TrySkipUnknown(ref s)
                : TryReadMemberFast(ref s, payload, member, chunk, choice, call, ref result);
            if (!ok)
                return false;
            // The full reader stops at an error's first token, so nothing after it must be sound either.
            if (result == Result.Error)
                return true;
        }
        while (s.TryConsume((byte)','));
        return s.TryConsume((byte)'}');
    }

    private bool TryReadMemberFast(ref JsonScanner s, ReadOnlyMemory<byte> payload, ChunkMember member, ChunkData chunk, ChoiceData? choice, ToolCallData? call, ref Result result)
    {
        switch (member.Kind)
        {
            case MemberKind.Text:
                if (!TryReadUtf8(ref s, payload, out ReadOnlyMemory<byte> text, out bool hasText, out int textStart, out int textLength))
                    return false;
                if (hasText)
                {
                    _template.Record(member.Slot, textStart, textLength);
                    Part(member.Slot, chunk, choice, call).SetText(member.Slot, text);
                }
                return true;
            case MemberKind.FixedText:
                if (!TryReadUtf8(ref s, payload, out ReadOnlyMemory<byte> fixedText, out bool hasFixed, out _, out _))
                    return false;
                if (hasFixed)
                    Part(member.Slot, chunk, choice, call).SetText(member.Slot, fixedText);
                return true;
            case MemberKind.Scalar:
                if (s.Peek() == (byte)'"')
                {
                    if (!TryReadUtf8(ref s, payload, out ReadOnlyMemory<byte> scalar, out _, out _, out _))
                        return false;
                    Part(member.Slot, chunk, choice, call).SetText(member.Slot, scalar);
                    return true;
                }
                if (!s.TrySkipValue(out int scalarStart, out int scalarEnd))
                    return false;
                if (payload.Span[scalarStart] is (byte)'-' or (>= (byte)'0' and <= (byte)'9'))
                    Part(member.Slot, chunk, choice, call).SetText(member.Slot, payload[scalarStart..scalarEnd]);
                return true;
            case MemberKind.RawObject:
                if (s.Peek() != (byte)'{')
                    return s.TrySkipValue();
                if (!s.TrySkipValue(out int rawStart, out int rawEnd))
                    return false;
                _template.Record(member.Slot, rawStart, rawEnd - rawStart, raw: true);
                Part(member.Slot, chunk, choice, call).SetText(member.Slot, payload[rawStart..rawEnd]);
                return true;
            case MemberKind.Index:
                if (!TryReadIndex(ref s, out int index))
                    return false;
                if (call is not null)
                    call.Index = index;
                else
                    choice!.Index = index;
                return true;
            case MemberKind.Created:
                if (!s.TryReadInt64OrNull(out long? created))
                    return false;
                chunk.CreatedUnixSeconds = created;
                return true;
            case MemberKind.FinishReason:
                if (s.TryReadNull())
                    return true;
                if (!TryReadUtf8(ref s, payload, out ReadOnlyMemory<byte> reason, out _, out _, out _))
                    return false;
                choice!.FinishReason = FinishReasonText.FromUtf8(reason.Span);
                return true;
            case MemberKind.Role:
                if (s.Peek() != (byte)'"')
                    return s.TrySkipValue();
                if (!s.TryReadString(out int roleStart, out int roleLength, out bool escapedRole) || escapedRole)
                    return false;
                choice!.Role = ParseRole(payload.Span.Slice(roleStart, roleLength));
                return true;
            case MemberKind.Usage:
                return TryReadUsage(ref s, payload.Span, chunk);
            case MemberKind.Error:
                if (s.TryReadNull())
                    return true;
                // The full reader stops at the error's first token, so only that token must be sound.
                if (s.Peek() is (byte)'{' or (byte)'[' || s.TrySkipValue())
                {
                    result = Result.Error;
                    return true;
                }
                return false;
            case MemberKind.ObjectType:
                if (s.Peek() != (byte)'"')
                    return s.TrySkipValue();
                if (!s.TryReadString(out int typeStart, out int typeLength, out bool escapedType) || escapedType)
                    return false;
                if (payload.Span.Slice(typeStart, typeLength).SequenceEqual("error"u8))
                    result = Result.Error;
                return true;
            case MemberKind.Object:
                return s.TryReadNull() || TryReadObjectFast(ref s, payload, member.Child, chunk, choice, call, ref result);
            case MemberKind.Array:
                return s.TryReadNull() || TryReadArrayFast(ref s, payload, member.Child, chunk, choice, ref result);
            default:
                return false;
        }
    }

    private bool TryReadArrayFast(ref JsonScanner s, ReadOnlyMemory<byte> payload, ChunkLevel level, ChunkData chunk, ChoiceData? choice, ref Result result)
    {
        if (!s.TryConsume((byte)'['))
            return false;
        if (s.TryConsume((byte)']'))
            return true;
        do
        {
            bool ok;
            if (level == ChunkLevel.Choice)
            {
                _template.OnChoice();
                ok = TryReadObjectFast(ref s, payload, level, chunk, chunk.AddChoice(), null, ref result);
            }
            else
            {
                _template.OnToolCall();
                ok = TryReadObjectFast(ref s, payload, level, chunk, choice, choice!.AddToolCall(), ref result);
            }
            if (!ok)
                return false;
        }
        while (s.TryConsume((byte)','));
        return s.TryConsume((byte)']');
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

    /// <summary>Skips a member the reader has no use for; a string value is one the template lets vary.</summary>
    private bool TrySkipUnknown(ref JsonScanner s)
    {
        if (s.Peek() != (byte)'"')
            return s.TrySkipValue();
        if (!s.TryReadString(out int start, out int length, out _))
            return false;
        _template.Record(null, start, length);
        return true;
    }

    /// <summary>A string or null as UTF-8: a slice of the payload, or unescaped into the scratch.</summary>
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
