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
                return GetString(ref reader);
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
                    case JsonTokenType.PropertyName: writer.WritePropertyName(GetString(ref reader)); break;
                    case JsonTokenType.String: writer.WriteStringValue(GetString(ref reader)); break;
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
        return GetString(ref reader);
    }

    /// <summary>
    /// The string (or property name) the reader is on. Utf8JsonReader reports text that is not valid UTF-8, or an
    /// escape that is not valid UTF-16 (a lone surrogate), as InvalidOperationException: here, on a string token
    /// whose type was checked, that can only be the text's fault, so it becomes the JsonException a reply's readers
    /// report. Nowhere else is an InvalidOperationException taken for bad data: a bug of ours stays a bug.
    /// </summary>
    public static string GetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex) when (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
        {
            throw BadText(ex);
        }
    }

    /// <summary>As <see cref="GetString"/>, unescaping into <paramref name="target"/>.</summary>
    public static int CopyString(ref Utf8JsonReader reader, Span<byte> target)
    {
        try
        {
            return reader.CopyString(target);
        }
        catch (InvalidOperationException ex) when (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
        {
            throw BadText(ex);
        }
    }

    /// <summary>The error for a string whose text is not valid UTF-8 or whose escapes are not valid UTF-16.</summary>
    public static JsonException BadText(Exception? inner = null) =>
        new("A string holds text that is not valid UTF-8 (or an escape that is not valid UTF-16).", inner);

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

    public static bool? ReadBooleanOrNull(ref Utf8JsonReader reader)
    {
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new JsonException($"Expected true or false but found {reader.TokenType}."),
        };
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
