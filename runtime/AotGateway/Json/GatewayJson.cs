using System;
using System.Buffers;
using AotGateway.Infrastructure;
using System.Text;
using System.Text.Json;

namespace AotGateway;

/// <summary>Uses any generated <see cref="IGatewayJson{TSelf}"/> type without reflection.</summary>
public static partial class GatewayJson
{
    /// <summary>Writes <paramref name="value"/> with the generated writer.</summary>
    public static void Write<T>(Utf8JsonWriter writer, T value) where T : IGatewayJson<T>
    {
        ArgumentNullException.ThrowIfNull(writer);
        T.WriteJson(writer, value);
    }

    /// <summary>Reads one value with the generated reader, starting on its first token (or before it).</summary>
    public static T Read<T>(ref Utf8JsonReader reader) where T : IGatewayJson<T>
    {
        if (reader.TokenType == JsonTokenType.None && !GatewayJsonReading.TryRead(ref reader))
            throw new GatewayJsonException("The JSON is empty", "$");
        return T.ReadJson(ref reader);
    }

    /// <summary>The generated partial-object builder of <typeparamref name="T"/>, or <see langword="null"/>; for generated code.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static PartialJsonBuilder<T>? CreatePartialBuilder<T>() where T : IGatewayJson<T> => T.CreatePartialJsonBuilder();

    /// <summary>Serializes <paramref name="value"/> to UTF-8 JSON (no deeper than the reader reads: 128 levels).</summary>
    /// <exception cref="GatewayJsonException">A member that cannot be written (null where its type is not nullable, an undefined enum value, nesting past 128 levels).</exception>
    public static byte[] SerializeToUtf8Bytes<T>(T value) where T : IGatewayJson<T>
    {
        JsonWriterCache cache = WriteCached(value);
        try
        {
            return cache.WrittenSpan.ToArray();
        }
        finally
        {
            JsonWriterCache.Return(cache);
        }
    }

    /// <summary>Serializes <paramref name="value"/> to a JSON string; see <see cref="SerializeToUtf8Bytes{T}(T)"/>.</summary>
    public static string Serialize<T>(T value) where T : IGatewayJson<T>
    {
        JsonWriterCache cache = WriteCached(value);
        try
        {
            return Encoding.UTF8.GetString(cache.WrittenSpan);
        }
        finally
        {
            JsonWriterCache.Return(cache);
        }
    }

    private static JsonWriterCache WriteCached<T>(T value) where T : IGatewayJson<T>
    {
        JsonWriterCache cache = JsonWriterCache.Rent();
        try
        {
            T.WriteJson(cache.Writer, value);
            cache.Writer.Flush();
            return cache;
        }
        catch (InvalidOperationException ex) when (cache.Writer.CurrentDepth >= JsonWriterCache.MaxDepth)
        {
            JsonWriterCache.Return(cache);
            throw new GatewayJsonException($"The value nests deeper than {JsonWriterCache.MaxDepth} levels, the most the reader reads back", "$", ex);
        }
        catch
        {
            JsonWriterCache.Return(cache);
            throw;
        }
    }

    /// <summary>Parses UTF-8 JSON holding exactly one value.</summary>
    /// <exception cref="GatewayJsonException">The JSON is malformed or does not fit the type; <c>Path</c> says where.</exception>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json) where T : IGatewayJson<T>
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 128 });
        T value = Read<T>(ref reader);
        if (GatewayJsonReading.TryRead(ref reader))
            throw new GatewayJsonException("Unexpected data after the JSON value", "$");
        return value;
    }

    /// <summary>Parses a JSON string holding exactly one value.</summary>
    public static T Deserialize<T>(string json) where T : IGatewayJson<T>
    {
        ArgumentNullException.ThrowIfNull(json);
        // Transcoded into a pooled buffer, as System.Text.Json does: the call costs what the value holds.
        // Exact size for long text: the worst case (3 bytes a char) would rent three times what a large reply needs.
        int size = json.Length <= 4096 ? Encoding.UTF8.GetMaxByteCount(json.Length) : Encoding.UTF8.GetByteCount(json);
        byte[] rented = BufferPool.Rent(size);
        try
        {
            int length = Encoding.UTF8.GetBytes(json, rented);
            return Deserialize<T>(rented.AsSpan(0, length));
        }
        finally
        {
            BufferPool.Return(rented);
        }
    }

    /// <summary>The type's JSON Schema as UTF-8 JSON.</summary>
    public static ReadOnlySpan<byte> Schema<T>() where T : IGatewayJson<T> => T.JsonSchema;
}
