using System;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace AotGateway;

/// <summary>
/// Reading steps shared by generated code, kept here so each generated type stays small. Every failure is a
/// <see cref="GatewayJsonException"/> at <c>$.member</c> (or <c>$</c> for an array element); enclosing
/// generated readers add their part of the path on the way out.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
#pragma warning disable CS1591 // One-line readers named for what they read; called only by generated code.
public static class GatewayJsonReading
{
    private static string PathOf(string? member) => member is null ? "$" : "$." + member;

    private static readonly string[] s_timeFormats = ["HH:mm:ss", "HH:mm:ss.FFFFFFF"];

    /// <summary>Fails unless the reader is on the start of an object.</summary>
    public static void ExpectObject(ref Utf8JsonReader reader, string typeName, string? member = null)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new GatewayJsonException($"Expected a JSON object for {typeName} but found {Describe(reader.TokenType)}", PathOf(member));
    }

    /// <summary>Fails unless the reader is on the start of an array.</summary>
    public static void ExpectArray(ref Utf8JsonReader reader, string? member)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new GatewayJsonException($"Expected a JSON array but found {Describe(reader.TokenType)}", PathOf(member));
    }

    /// <summary>
    /// Moves to the next token; a document that ends here is truncated, one that breaks the grammar is malformed,
    /// and a property name whose escapes make invalid UTF-16 (a lone surrogate) cannot be matched: all three are
    /// <see cref="GatewayJsonException"/>s, so a caller catching the documented type catches every reading error.
    /// </summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!TryRead(ref reader))
            throw new GatewayJsonException("The JSON ends unexpectedly", "$");
        if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueIsEscaped)
            CheckDecodable(ref reader, "A property name", null);
    }

    /// <summary><see cref="Utf8JsonReader.Read"/> with a grammar error as a <see cref="GatewayJsonException"/>.</summary>
    public static bool TryRead(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException ex) when (ex is not GatewayJsonException)
        {
            throw Malformed(ex);
        }
    }

    /// <summary>Skips the value of a member the type does not have, with a grammar error inside it as a <see cref="GatewayJsonException"/>.</summary>
    public static void Skip(ref Utf8JsonReader reader)
    {
        try
        {
            reader.Skip();
        }
        catch (JsonException ex) when (ex is not GatewayJsonException)
        {
            throw Malformed(ex);
        }
    }

    private static GatewayJsonException Malformed(JsonException ex) => new("The JSON is malformed: " + ex.Message, "$", ex);

    /// <summary>An escaped string or name must decode to valid UTF-16 before it is compared or parsed.</summary>
    private static void CheckDecodable(ref Utf8JsonReader reader, string what, string? member)
    {
        try
        {
            _ = reader.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new GatewayJsonException(what + " holds an escaped lone surrogate (invalid UTF-16)", PathOf(member));
        }
    }

    /// <summary>Fails unless the reader is on a string that decodes (escapes included).</summary>
    private static void ExpectDecodableString(ref Utf8JsonReader reader, string what, string? member)
    {
        Expect(ref reader, JsonTokenType.String, what, member);
        if (reader.ValueIsEscaped)
            CheckDecodable(ref reader, "The string", member);
    }

    /// <summary>The error for a required member the JSON does not have.</summary>
    public static GatewayJsonException Missing(string typeName, string jsonName) =>
        new($"The required property '{jsonName}' of {typeName} is missing", "$");

    /// <summary>The error for writing a null member whose type does not allow one (its reader would refuse the null).</summary>
    public static GatewayJsonException NullNotWritable(string? member) =>
        new("null cannot be written: the member's type is not nullable", PathOf(member));

    /// <summary>Writes a date as <c>yyyy-MM-dd</c> (<c>format: date</c>) without a string in between.</summary>
    public static void WriteDate(Utf8JsonWriter writer, DateOnly value)
    {
        Span<byte> text = stackalloc byte[16];
        value.TryFormat(text, out int length, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..length]);
    }

    /// <summary>Writes a time as <c>HH:mm:ss[.fffffff]</c> (<c>format: time</c>, what the reader reads) without a string in between.</summary>
    public static void WriteTime(Utf8JsonWriter writer, TimeOnly value)
    {
        Span<byte> text = stackalloc byte[24];
        value.TryFormat(text, out int length, "HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..length]);
    }

    /// <summary>A DateTime as <c>format: date-time</c> requires it, with an offset: unspecified kind is taken as UTC.</summary>
    public static DateTime WithOffset(DateTime value) => value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value;

    /// <summary>The error for writing an enum value that is no named member (it has no JSON name, and no reader would take it).</summary>
    public static GatewayJsonException UndefinedEnumValue(string enumName, long value, string? member) =>
        new($"{value.ToString(CultureInfo.InvariantCulture)} is not a named value of {enumName}, so it cannot be written", PathOf(member));

    /// <summary>The error for a null where the member does not allow one.</summary>
    public static GatewayJsonException NullNotAllowed(string? member) => new("null is not allowed here", PathOf(member));

    public static string ReadString(ref Utf8JsonReader reader, string? member)
    {
        Expect(ref reader, JsonTokenType.String, "a string", member);
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new GatewayJsonException("The string is not valid UTF-8", PathOf(member));
        }
    }

    /// <summary>Reads a property name (a dictionary key), refusing invalid UTF-8 with a typed error.</summary>
    public static string ReadPropertyName(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new GatewayJsonException("A property name is not valid UTF-8", "$");
        }
    }

    public static bool ReadBoolean(ref Utf8JsonReader reader, string? member)
    {
        if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
            return reader.GetBoolean();
        throw WrongToken("true or false", reader.TokenType, member);
    }

    public static sbyte ReadSByte(ref Utf8JsonReader reader, string? member) => ExpectNumber(ref reader, member).TryGetSByte(out sbyte v) ? v : throw OutOfRange(ref reader, "SByte", member);
    public static byte ReadByte(ref Utf8JsonReader reader, string? member) => ExpectNumber(ref reader, member).TryGetByte(out byte v) ? v : throw OutOfRange(ref reader, "Byte", member);
    public static short ReadInt16(ref Utf8JsonReader reader, string? member) => ExpectNumber(ref reader, member).TryGetInt16(out short v) ? v : throw OutOfRange(ref reader, "Int16", member);
    public static ushort ReadUInt16(ref Utf8JsonReader reader, string? member) => ExpectNumber(ref reader, member).TryGetUInt16(out ushort v) ? v : throw OutOfRange(ref reader, "UInt16", member);
    public static int ReadInt32(ref Utf8JsonReader reader, string? member) => ExpectNumber(ref reader, member).TryGetInt32(out int v) ? v : throw OutOfRange(ref reader, "Int32", member);
    public static uint ReadUInt32(ref Utf8JsonReader reader, string? member) => ExpectNumber(ref reader, member).TryGetUInt32(out uint v) ? v : throw OutOfRange(ref reader, "UInt32", member);
    public static long ReadInt64(ref Utf8JsonReader reader, string? member) => ExpectNumber(ref reader, member).TryGetInt64(out long v) ? v : throw OutOfRange(ref reader, "Int64", member);
    public static ulong ReadUInt64(ref Utf8JsonReader reader, string? member) => ExpectNumber(ref reader, member).TryGetUInt64(out ulong v) ? v : throw OutOfRange(ref reader, "UInt64", member);
    // TryGetDouble reads a number past double's range as infinity, which no writer (ours, STJ's) accepts back.
    public static double ReadDouble(ref Utf8JsonReader reader, string? member) => ExpectNumber(ref reader, member).TryGetDouble(out double v) && double.IsFinite(v) ? v : throw OutOfRange(ref reader, "Double", member);
    public static decimal ReadDecimal(ref Utf8JsonReader reader, string? member) => ExpectNumber(ref reader, member).TryGetDecimal(out decimal v) ? v : throw OutOfRange(ref reader, "Decimal", member);

    public static float ReadSingle(ref Utf8JsonReader reader, string? member)
    {
        // TryGetSingle accepts values past float's range as infinity; a finite JSON number that overflows is out of range.
        if (ExpectNumber(ref reader, member).TryGetSingle(out float v) && float.IsFinite(v))
            return v;
        throw OutOfRange(ref reader, "Single", member);
    }

    public static DateTime ReadDateTime(ref Utf8JsonReader reader, string? member)
    {
        ExpectDecodableString(ref reader, "a date-time string", member);
        return reader.TryGetDateTime(out DateTime v) ? v : throw new GatewayJsonException($"'{System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}' is not an ISO 8601 date-time", PathOf(member));
    }

    public static DateTimeOffset ReadDateTimeOffset(ref Utf8JsonReader reader, string? member)
    {
        ExpectDecodableString(ref reader, "a date-time string", member);
        return reader.TryGetDateTimeOffset(out DateTimeOffset v) ? v : throw new GatewayJsonException($"'{System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}' is not an ISO 8601 date-time", PathOf(member));
    }

    public static DateOnly ReadDateOnly(ref Utf8JsonReader reader, string? member)
    {
        string text = ReadString(ref reader, member);
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly v)
            ? v : throw new GatewayJsonException($"'{text}' is not a date (yyyy-MM-dd)", PathOf(member));
    }

    public static TimeOnly ReadTimeOnly(ref Utf8JsonReader reader, string? member)
    {
        // What the writer writes and the schema's format: time describes; no AM/PM, no spaces, at most 7 fraction digits.
        string text = ReadString(ref reader, member);
        return TimeOnly.TryParseExact(text, s_timeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out TimeOnly v)
            ? v : throw new GatewayJsonException($"'{text}' is not a time (HH:mm:ss[.fffffff])", PathOf(member));
    }

    public static Guid ReadGuid(ref Utf8JsonReader reader, string? member)
    {
        ExpectDecodableString(ref reader, "a UUID string", member);
        return reader.TryGetGuid(out Guid v) ? v : throw new GatewayJsonException($"'{System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}' is not a UUID", PathOf(member));
    }

    public static Uri ReadUri(ref Utf8JsonReader reader, string? member)
    {
        string text = ReadString(ref reader, member);
        return Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out Uri? v) ? v : throw new GatewayJsonException($"'{text}' is not a URI", PathOf(member));
    }

    /// <summary>The error for an enum string that names no member.</summary>
    public static GatewayJsonException UnknownEnumValue(ref Utf8JsonReader reader, string enumName, string? member) =>
        new($"'{System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}' is not a value of {enumName}", PathOf(member));

    /// <summary>Fails unless the reader is on a string (an enum's name).</summary>
    public static void ExpectEnumString(ref Utf8JsonReader reader, string? member) => ExpectDecodableString(ref reader, "a string", member);

    private static ref Utf8JsonReader ExpectNumber(ref Utf8JsonReader reader, string? member)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw WrongToken("a number", reader.TokenType, member);
        return ref reader;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what, string? member)
    {
        if (reader.TokenType != type)
            throw WrongToken(what, reader.TokenType, member);
    }

    private static GatewayJsonException WrongToken(string expected, JsonTokenType found, string? member) =>
        new($"Expected {expected} but found {Describe(found)}", PathOf(member));

    private static GatewayJsonException OutOfRange(ref Utf8JsonReader reader, string type, string? member) =>
        new($"The number {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)} is out of range for {type}", PathOf(member));

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };
}
#pragma warning restore CS1591
