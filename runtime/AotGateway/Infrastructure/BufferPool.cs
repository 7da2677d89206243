using System.Buffers;

namespace AotGateway.Infrastructure;

/// <summary>
/// The one rule for pooled byte buffers: rented from <see cref="ArrayPool{T}.Shared"/>, and given back only up to
/// <see cref="LargestPooled"/>. A larger buffer (one hostile event, one huge reply) goes to the garbage collector:
/// the shared pool would keep it for good, per thread, long after the stream that needed it.
/// </summary>
internal static class BufferPool
{
    /// <summary>The largest buffer handed back to the pool: 1 MiB.</summary>
    public const int LargestPooled = 1024 * 1024;

    public static byte[] Rent(int minimumLength) => ArrayPool<byte>.Shared.Rent(minimumLength);

    /// <summary>Hands a rented buffer back (an empty one is a placeholder, never rented).</summary>
    public static void Return(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= LargestPooled)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
