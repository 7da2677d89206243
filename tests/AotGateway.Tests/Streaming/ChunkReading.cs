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

    private static string Describe(ChatChunkReader.Result result, ChatUpdate u)
    {
        var sb = new StringBuilder();
        sb.Append(result).Append('|').Append(u.Id).Append('|').Append(u.Model).Append('|').Append(u.Created?.ToUnixTimeSeconds())
          .Append('|').Append(Encoding.UTF8.GetString(u.SystemFingerprintUtf8)).Append('|').Append(Encoding.UTF8.GetString(u.ServiceTierUtf8))
          .Append('|').Append(u.Usage is { } usage ? $"{usage.PromptTokens}/{usage.CompletionTokens}/{usage.TotalTokens}" : "-");
        foreach (ChatChoiceUpdate c in u.Choices)
        {
            sb.Append("\n choice ").Append(c.Index).Append(' ').Append(c.Role).Append(' ')
              .Append(c.HasContent).Append(':').Append(Convert.ToHexString(c.ContentUtf8)).Append('|')
              .Append(c.HasReasoning).Append(':').Append(Convert.ToHexString(c.ReasoningUtf8)).Append('|')
              .Append(c.HasRefusal).Append(':').Append(Convert.ToHexString(c.RefusalUtf8)).Append('|')
              .Append(c.FinishReason).Append('|').Append(Encoding.UTF8.GetString(c.LogprobsJson));
            foreach (ToolCallUpdate t in c.ToolCalls)
            {
                sb.Append("\n  call ").Append(t.Index).Append(' ').Append(t.HasId).Append(Convert.ToHexString(t.IdUtf8))
                  .Append(' ').Append(t.HasName).Append(Convert.ToHexString(t.NameUtf8)).Append(' ').Append(Convert.ToHexString(t.ArgumentsUtf8));
            }
        }
        return sb.ToString();
    }
}
