using System;
using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AotGateway.Json;

/// <summary>Small, allocation-aware helpers shared by the hand-written Utf8JsonReader readers.</summary>
internal static class JsonReading
{
    /// <summary>Moves to the next token; a body that ends early is malformed, not "done".</summary>
    public static void ReadOrThrow(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            throw new JsonException("The JSON ended unexpectedly.");
    }

    /// <summary>Reads the current value as text: strings as they are, numbers and booleans as written, null as null.</summary>
    public static string? ReadText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
            case JsonTokenType.True:
            case JsonTokenType.False:
                return Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            default:
                // An object or array where text was expected: keep its raw JSON so nothing is lost.
                return ReadRawJson(ref reader);
        }
    }

    /// <summary>
    /// Returns the JSON text of the current value (compacted) and leaves the reader on its last token. Copied
    /// token by token rather than through JsonDocument, which would add its parser to every NativeAOT binary.
    /// </summary>
    public static string ReadRawJson(ref Utf8JsonReader reader)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            // Starts on an object or array; its closing token is the one back at the same depth.
            int depth = reader.CurrentDepth;
            while (true)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName: writer.WritePropertyName(reader.GetString()!); break;
                    case JsonTokenType.String: writer.WriteStringValue(reader.GetString()); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                    default: writer.WriteRawValue(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan, skipInputValidation: true); break;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == depth)
                    break;
                ReadOrThrow(ref reader);
            }
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string? ReadStringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"Expected a string but found {reader.TokenType}.");
        return reader.GetString();
    }

    public static int? ReadInt32OrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int value))
            throw new JsonException($"Expected a 32-bit integer but found {reader.TokenType}.");
        return value;
    }

    public static long? ReadInt64OrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.Number)
            throw new JsonException($"Expected an integer but found {reader.TokenType}.");
        if (reader.TryGetInt64(out long value))
            return value;
        // Some servers write integral values as 1.7e9 or 12.0; accept those without losing the value.
        if (!reader.TryGetDouble(out double d))
            throw new JsonException("An integer is out of range.");
        if (d < long.MinValue || d > long.MaxValue || Math.Floor(d) != d)
            throw new JsonException($"Expected an integer but found {d.ToString(CultureInfo.InvariantCulture)}.");
        return (long)d;
    }

    public static double? ReadDoubleOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double value))
            throw new JsonException($"Expected a number but found {reader.TokenType}.");
        return value;
    }

    /// <summary>
    /// Utf8JsonReader reports some malformed content (invalid UTF-8 in a string, a number that does not fit)
    /// as InvalidOperationException or FormatException; a reader entry point turns those into the JsonException
    /// its callers handle, so bad bytes always surface as the library's typed errors.
    /// </summary>
    public static bool IsMalformedContent(Exception ex) => ex is InvalidOperationException or FormatException;

    public static bool? ReadBooleanOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        return reader.GetBoolean();
    }

    /// <summary>True when a non-JSON body starts like an HTML page (a proxy's error page, typically).</summary>
    public static bool LooksLikeHtml(ReadOnlySpan<byte> body)
    {
        body = body.TrimStart(" \t\r\n"u8);
        return body.StartsWith("<"u8);
    }

    public static bool TryParseInt32(ReadOnlySpan<byte> text, out int value) =>
        Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length;
}
