using System;
using System.Diagnostics;
using System.Text.Json;
using AotGateway.Json;

namespace AotGateway;

/// <summary>
/// Reads one <c>chat.completion.chunk</c> payload into a reused <see cref="ChunkData"/> without allocating:
/// strings become slices of the payload, or of a scratch buffer when they contain escapes. Three tiers, tried in
/// order, that must give the same update: the <see cref="ChunkTemplate"/> (the last chunk read in full, with other
/// values where values vary), the scanner (a grammar-checking pass, ChatChunkReader.Fast.cs), and the full
/// Utf8JsonReader reader below, which also words the errors. Both readers walk <see cref="ChunkSchema"/>, so a
/// member is described once; ARCHITECTURE.md shows what adding one takes.
/// </summary>
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
        ReadOnlySpan<byte> span = payload.Span;
        if (span.Trim(" \t\r\n"u8).SequenceEqual("[DONE]"u8))
            return Result.Done;

        update.Reset();
        _scratch.Reset(payload.Length);
        if (UseFastPath)
        {
            if (_template.BeginChunk() && _template.TryApply(payload, update, _scratch))
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
        return ReadObject(ref r, payload, ChunkLevel.Root, update, null, null);
    }

    /// <summary>Reads the object the reader is on, member by member as <see cref="ChunkSchema"/> says.</summary>
    private Result ReadObject(ref Utf8JsonReader r, ReadOnlyMemory<byte> payload, ChunkLevel level, ChunkData chunk, ChoiceData? choice, ToolCallData? call)
    {
        ChunkMember[] members = ChunkSchema.Members(level);
        while (true)
        {
            JsonReading.ReadOrThrow(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
                return Result.Chunk;
            ChunkMember? member = Find(ref r, members);
            JsonReading.ReadOrThrow(ref r);
            if (member is null)
            {
                r.Skip();
                continue;
            }
            switch (member.Kind)
            {
                case MemberKind.Text:
                case MemberKind.FixedText:
                    if (r.TokenType != JsonTokenType.Null)
                        Part(member.Slot, chunk, choice, call).SetText(member.Slot, ReadString(ref r, payload));
                    break;
                case MemberKind.Scalar:
                    if (r.TokenType == JsonTokenType.String)
                        Part(member.Slot, chunk, choice, call).SetText(member.Slot, ReadString(ref r, payload));
                    else if (r.TokenType == JsonTokenType.Number)
                        Part(member.Slot, chunk, choice, call).SetText(member.Slot, payload.Slice((int)r.TokenStartIndex, r.ValueSpan.Length));
                    else
                        r.Skip();
                    break;
                case MemberKind.RawObject:
                    if (r.TokenType == JsonTokenType.StartObject)
                    {
                        int start = (int)r.TokenStartIndex;
                        r.Skip();
                        Part(member.Slot, chunk, choice, call).SetText(member.Slot, payload[start..(int)r.BytesConsumed]);
                    }
                    else
                    {
                        r.Skip();
                    }
                    break;
                case MemberKind.Index:
                    int index = JsonReading.ReadInt32OrNull(ref r) ?? 0;
                    if (call is not null)
                        call.Index = index;
                    else
                        choice!.Index = index;
                    break;
                case MemberKind.Created:
                    chunk.CreatedUnixSeconds = JsonReading.ReadInt64OrNull(ref r);
                    break;
                case MemberKind.FinishReason:
                    if (r.TokenType == JsonTokenType.String)
                        choice!.FinishReason = FinishReasonText.FromUtf8(ReadString(ref r, payload).Span);
                    else if (r.TokenType != JsonTokenType.Null)
                        throw new JsonException("'finish_reason' must be a string or null.");
                    break;
                case MemberKind.Role:
                    if (r.TokenType == JsonTokenType.String)
                        choice!.Role = ParseRole(ReadString(ref r, payload).Span);
                    else
                        r.Skip();
                    break;
                case MemberKind.Usage:
                    chunk.Usage = ChatCompletionReader.ReadUsage(ref r);
                    break;
                case MemberKind.Error:
                    if (r.TokenType != JsonTokenType.Null)
                        return Result.Error;
                    break;
                case MemberKind.ObjectType:
                    // vLLM reports in-stream failures as {"object":"error","message":...}.
                    if (r.TokenType == JsonTokenType.String && r.ValueTextEquals("error"u8))
                        return Result.Error;
                    r.Skip();
                    break;
                case MemberKind.Object:
                    if (r.TokenType == JsonTokenType.Null)
                        break;
                    if (r.TokenType != JsonTokenType.StartObject)
                        throw new JsonException($"'{Name(member)}' must be an object.");
                    ReadObject(ref r, payload, member.Child, chunk, choice, call);
                    break;
                case MemberKind.Array:
                    if (r.TokenType == JsonTokenType.Null)
                        break;
                    if (r.TokenType != JsonTokenType.StartArray)
                        throw new JsonException($"'{Name(member)}' must be an array.");
                    while (true)
                    {
                        JsonReading.ReadOrThrow(ref r);
                        if (r.TokenType == JsonTokenType.EndArray)
                            break;
                        if (r.TokenType != JsonTokenType.StartObject)
                            throw new JsonException($"Each item of '{Name(member)}' must be an object.");
                        if (member.Child == ChunkLevel.Choice)
                            ReadObject(ref r, payload, member.Child, chunk, chunk.AddChoice(), null);
                        else
                            ReadObject(ref r, payload, member.Child, chunk, choice, choice!.AddToolCall());
                    }
                    break;
            }
        }
    }

    /// <summary>The member the property name the reader is on names (compared unescaped), or null.</summary>
    private static ChunkMember? Find(ref Utf8JsonReader r, ChunkMember[] members)
    {
        foreach (ChunkMember member in members)
        {
            if (r.ValueTextEquals(member.Name))
                return member;
        }
        return null;
    }

    private static string Name(ChunkMember member) => System.Text.Encoding.UTF8.GetString(member.Name);

    /// <summary>Where a slot's value goes: the chunk's header, the choice, or the tool call being read.</summary>
    private static ChunkPart Part(TextSlot slot, ChunkData chunk, ChoiceData? choice, ToolCallData? call)
    {
        ChunkPart? part = slot < TextSlot.Content ? chunk : slot < TextSlot.ToolCallId ? choice : call;
        Debug.Assert(part is not null, "ChunkSchema lists each slot at the level that owns it");
        return part;
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
    private ReadOnlyMemory<byte> ReadString(ref Utf8JsonReader r, ReadOnlyMemory<byte> payload)
    {
        if (r.TokenType != JsonTokenType.String)
            throw new JsonException($"Expected a string but found {r.TokenType}.");
        if (!r.ValueIsEscaped)
            return payload.Slice((int)r.TokenStartIndex + 1, r.ValueSpan.Length);
        return _scratch.Unescape(ref r);
    }
}
