using System;
using System.Buffers;
using System.Text.Json;

namespace AotGateway;

/// <summary>
/// One <see cref="Utf8JsonWriter"/> and its buffer per thread for <see cref="GatewayJson"/>'s convenience calls, as
/// System.Text.Json keeps its own: a call costs the result and nothing else. A nested call on the same thread (a
/// writer that serializes inside itself) gets a fresh pair; a buffer grown past 64 KiB is not kept.
/// </summary>
internal sealed class JsonWriterCache
{
    /// <summary>As deep as the reader reads (<see cref="GatewayJson"/> reads with MaxDepth 128): nothing written can be refused on the way back.</summary>
    public const int MaxDepth = 128;

    private const int KeptCapacity = 64 * 1024;

    private static readonly JsonWriterOptions s_options = new() { MaxDepth = MaxDepth };

    [ThreadStatic]
    private static JsonWriterCache? t_cached;

    private ArrayBufferWriter<byte> _buffer = new(512);

    private JsonWriterCache() => Writer = new Utf8JsonWriter(_buffer, s_options);

    public Utf8JsonWriter Writer { get; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public static JsonWriterCache Rent()
    {
        JsonWriterCache? cache = t_cached;
        t_cached = null;
        return cache ?? new JsonWriterCache();
    }

    public static void Return(JsonWriterCache cache)
    {
        if (cache._buffer.Capacity > KeptCapacity)
            cache._buffer = new ArrayBufferWriter<byte>(512);
        else
            cache._buffer.ResetWrittenCount();
        cache.Writer.Reset(cache._buffer);
        t_cached = cache;
    }
}
