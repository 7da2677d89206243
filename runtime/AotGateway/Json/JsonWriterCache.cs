using System;
using System.Text.Json;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// One <see cref="Utf8JsonWriter"/> and its buffer per thread for <see cref="GatewayJson"/>'s convenience calls, as
/// System.Text.Json keeps its own: the buffer grows with arrays rented from the shared pool, so a call costs its
/// result and nothing else. A nested call on the same thread (a writer that serializes inside itself) gets a fresh
/// pair; after a large value the buffer goes back to the pool and a small one is kept.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Lives as long as its thread; a small rented array left behind by a thread that ends goes to the GC, which the pool tolerates.")]
internal sealed class JsonWriterCache
{
    /// <summary>As deep as the reader reads (<see cref="GatewayJson"/> reads with MaxDepth 128): nothing written can be refused on the way back.</summary>
    public const int MaxDepth = 128;

    private const int InitialCapacity = 1024;
    private const int KeptCapacity = 64 * 1024;

    // Generated writers emit well-formed JSON (tests hold them to it), so per-token validation is skipped as
    // System.Text.Json's serializer does; the depth limit still applies.
    private static readonly JsonWriterOptions s_options = new() { MaxDepth = MaxDepth, SkipValidation = true };

    [ThreadStatic]
    private static JsonWriterCache? t_cached;

    private readonly PooledBufferWriter _buffer = new(InitialCapacity);

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
        cache._buffer.ClearAndShrink(KeptCapacity);
        cache.Writer.Reset(cache._buffer);
        t_cached = cache;
    }
}
