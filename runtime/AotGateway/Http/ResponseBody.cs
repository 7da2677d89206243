using System;
using System.Buffers;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Infrastructure;

namespace AotGateway.Http;

/// <summary>Reads a whole response body into a pooled buffer, refusing to grow past a limit.</summary>
internal static class ResponseBody
{
    /// <returns>The bytes read; Truncated is set when the body was longer than <paramref name="maxBytes"/>.</returns>
    public static async Task<(PooledBufferWriter Body, bool Truncated)> ReadAsync(HttpContent content, int maxBytes, CancellationToken ct)
    {
        long? declared = content.Headers.ContentLength;
        // One byte past the limit is enough to know a body is too long: the buffer never grows further.
        int limit = maxBytes + 1;
        int initial = declared is > 0 ? (int)Math.Min(declared.Value + 1, limit) : 16 * 1024;
        var buffer = new PooledBufferWriter(Math.Min(initial, limit), limit);
        try
        {
            Stream stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    Memory<byte> memory = buffer.GetMemory(Math.Min(8192, limit - buffer.WrittenCount));
                    int read = await stream.ReadAsync(memory[..Math.Min(memory.Length, limit - buffer.WrittenCount)], ct).ConfigureAwait(false);
                    if (read == 0)
                        return (buffer, false);
                    buffer.Advance(read);
                    if (buffer.WrittenCount > maxBytes)
                        return (buffer, true);
                }
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
