using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AotGateway.Bench.Relay;

/// <summary>
/// The model both relays stream from: a loopback HTTP/1.1 server that answers every POST with a chat completion
/// stream of <see cref="Chunks"/> text chunks, one every <see cref="Interval"/>, then <c>[DONE]</c>, chunked, on a
/// kept-alive connection. Written on raw sockets so it costs the same whichever relay calls it.
/// </summary>
internal sealed class PacedUpstream : IAsyncDisposable
{
    public const int Chunks = 150;
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(2);

    private static readonly byte[] s_head = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n");
    private static readonly byte[] s_chunk = Chunked(
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake/echo-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"token \"},\"finish_reason\":null}]}\n\n");
    private static readonly byte[] s_end = [.. Chunked(
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake/echo-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"),
        .. "0\r\n\r\n"u8];

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public PacedUpstream()
    {
        _listener.Start(backlog: 4096);
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private static byte[] Chunked(string data)
    {
        byte[] body = Encoding.UTF8.GetBytes(data);
        return [.. Encoding.ASCII.GetBytes(body.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"), .. body, .. "\r\n"u8];
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            socket.NoDelay = true;
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int filled = 0;
            while (!_stop.IsCancellationRequested)
            {
                // Headers, then a body of Content-Length bytes (both clients send one); anything else ends the connection.
                int headerEnd;
                while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (filled == buffer.Length)
                        return;
                    int read = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                        return;
                    filled += read;
                }
                int bodyLength = ContentLength(buffer.AsSpan(0, headerEnd));
                int requestLength = headerEnd + 4 + bodyLength;
                if (requestLength > buffer.Length)
                    return;
                while (filled < requestLength)
                {
                    int read = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                        return;
                    filled += read;
                }
                buffer.AsSpan(requestLength, filled - requestLength).CopyTo(buffer);
                filled -= requestLength;

                await socket.SendAsync(s_head, _stop.Token);
                for (int i = 0; i < Chunks; i++)
                {
                    await Task.Delay(Interval, _stop.Token);
                    await socket.SendAsync(s_chunk, _stop.Token);
                }
                await socket.SendAsync(s_end, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The relay went away, or the bench stopped.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            socket.Dispose();
        }
    }

    private static int ContentLength(ReadOnlySpan<byte> headers)
    {
        foreach (Range line in headers.Split("\r\n"u8))
        {
            ReadOnlySpan<byte> text = headers[line];
            if (text.Length > 15 && Ascii.EqualsIgnoreCase(text[..15], "content-length:"u8))
                return int.Parse(Encoding.ASCII.GetString(text[15..]).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
