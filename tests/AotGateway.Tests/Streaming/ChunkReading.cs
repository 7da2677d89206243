using System;
using System.Text;
using System.Text.Json;

namespace AotGateway.Tests.Streaming;

/// <summary>
/// Reads a chunk and renders everything the update exposes as one string, so the chunk reader's ways of
/// reading (template, fast path, full reader) can be compared whole. Texts are shown as hex, so readings that
/// differ only in invalid UTF-8 still differ.
/// </summary>
internal static class ChunkReading
{
    /// <summary>The update <paramref name="reader"/> makes of <paramref name="payload"/>, or "error: JsonException".</summary>
    public static string Read(ChatChunkReader reader, ChunkData update, byte[] payload)
    {
        try
        {
            ChatChunkReader.Result result = reader.Read(payload, update);
            return Describe(result, new ChatUpdate(update));
        }
        catch (JsonException)
        {
            // System.Text.Json's own subtypes count as the same outcome: the stream reports both as Malformed.
            return "error: JsonException";
        }
    }

    /// <summary>What the full Utf8JsonReader path alone makes of <paramref name="payload"/>.</summary>
    public static string ReadInFull(byte[] payload) => Read(new ChatChunkReader { UseFastPath = false }, new ChunkData(), payload);

    /// <summary>Every slot of every part, by name, so a new slot is compared by every tier test without an edit here.</summary>
    private static string Describe(ChatChunkReader.Result result, ChatUpdate u)
    {
        ChunkData data = u.Data;
        var sb = new StringBuilder();
        sb.Append(result).Append('|').Append(data.CreatedUnixSeconds)
          .Append('|').Append(data.Usage is { } usage ? $"{usage.PromptTokens}/{usage.CompletionTokens}/{usage.TotalTokens}" : "-");
        DescribeTexts(sb, data);
        foreach (ChoiceData c in data.Choices)
        {
            sb.Append("\n choice ").Append(c.Index).Append(' ').Append(c.Role).Append(' ').Append(c.FinishReason);
            DescribeTexts(sb, c);
            foreach (ToolCallData t in c.ToolCalls)
            {
                sb.Append("\n  call ").Append(t.Index);
                DescribeTexts(sb, t);
            }
        }
        return sb.ToString();
    }

    private static void DescribeTexts(StringBuilder sb, ChunkPart part)
    {
        for (int slot = 0; slot < TextSlots.Count; slot++)
        {
            if (part.Has((TextSlot)slot))
                sb.Append(' ').Append((TextSlot)slot).Append('=').Append(Convert.ToHexString(part.Text((TextSlot)slot)));
        }
    }
}
