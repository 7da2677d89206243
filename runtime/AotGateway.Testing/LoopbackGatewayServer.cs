using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Testing;

/// <summary>
/// Serves a <see cref="FakeGateway"/> over real HTTP/1.1 sockets on 127.0.0.1 at a port the OS chooses, so
/// tests can exercise connection handling and faults (resets, truncation, stalls, byte-at-a-time drip).
/// Dispose it to stop listening and close every connection.
/// </summary>
public sealed class LoopbackGatewayServer : IAsyncDisposable
{
    private const int MaxHeadBytes = 64 * 1024;
    private const int MaxRequestBodyBytes = 32 * 1024 * 1024;

    private readonly FakeGateway _gateway;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, Task> _connections = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentQueue<Exception> _failures = new();
    private int _accepted;

    private LoopbackGatewayServer(FakeGateway gateway)
    {
        _gateway = gateway;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Starts serving <paramref name="gateway"/> on 127.0.0.1.</summary>
    public static LoopbackGatewayServer Start(FakeGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return new LoopbackGatewayServer(gateway);
    }

    /// <summary>The port the OS chose.</summary>
    public int Port { get; }

    /// <summary>The base URL to give the client: <c>http://127.0.0.1:{port}/v1</c>.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/v1");

    /// <summary>Connections open right now (a client that leaks connections keeps this above zero).</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>Connections accepted since the server started.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    /// <summary>
    /// What went wrong in the server itself (a bug in the emulation, a fault in a scripted reply), in order: each was also
    /// answered with a 500 naming it when the connection could still carry one, so a test sees the cause, not a lost connection.
    /// </summary>
    public IReadOnlyList<Exception> Failures => [.. _failures];

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            socket.NoDelay = true;
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task connection = ServeThenForgetAsync(socket, started.Task);
            _connections[socket] = connection;
            started.SetResult();
        }
    }

    private async Task ServeThenForgetAsync(Socket socket, Task registered)
    {
        await registered.ConfigureAwait(false);
        try
        {
            await ServeAsync(socket).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the server is stopping: the connection simply ends.
        }
        catch (Exception ex)
        {
            // Anything else is the server's own failure: kept for the test, never an unobserved task.
            _failures.Enqueue(ex);
        }
        finally
        {
            socket.Dispose();
            _connections.TryRemove(socket, out _);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var stream = new NetworkStream(socket, ownsSocket: false);
        await using (stream.ConfigureAwait(false))
        {
            var input = new RequestReader(stream);
            while (!_stop.IsCancellationRequested)
            {
                FakeHttpRequest? request = await input.ReadRequestAsync(_stop.Token).ConfigureAwait(false);
                if (request is null)
                    return;
                FakeReply reply;
                try
                {
                    reply = _gateway.Handle(request);
                }
                catch (Exception ex)
                {
                    _failures.Enqueue(ex);
                    reply = FakeReply.Error(500, $"The fake gateway failed: {ex.GetType().Name}: {ex.Message}", "fake_gateway_error", "server_failure");
                }
                if (!await WriteReplyAsync(socket, stream, reply).ConfigureAwait(false))
                    return;
            }
        }
    }

    /// <returns>Whether the connection can carry another request.</returns>
    private async Task<bool> WriteReplyAsync(Socket socket, NetworkStream stream, FakeReply reply)
    {
        CancellationToken stop = _stop.Token;
        switch (reply.Fault.Kind)
        {
            case FakeFaultKind.ResetBeforeHeaders:
                Reset(socket);
                return false;
            case FakeFaultKind.StallBeforeHeaders:
                await WaitForClientToLeaveAsync(stream, stop).ConfigureAwait(false);
                return false;
        }

        DeliveryPlan plan = DeliveryPlan.For(reply);
        bool chunked = reply.ContentType.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase);
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(reply.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Reason(reply.Status)).Append("\r\n");
        head.Append("Content-Type: ").Append(reply.ContentType).Append("\r\n");
        foreach (KeyValuePair<string, string> header in reply.Headers)
            head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
        if (chunked)
            head.Append("Transfer-Encoding: chunked\r\n");
        else
            head.Append("Content-Length: ").Append(reply.BodyLength.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), stop).ConfigureAwait(false);

        foreach ((ReadOnlyMemory<byte> bytes, TimeSpan delay) in plan.Writes)
        {
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, stop).ConfigureAwait(false);
            if (chunked)
                await stream.WriteAsync(Encoding.ASCII.GetBytes(bytes.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), stop).ConfigureAwait(false);
            await stream.WriteAsync(bytes, stop).ConfigureAwait(false);
            if (chunked)
                await stream.WriteAsync("\r\n"u8.ToArray(), stop).ConfigureAwait(false);
            await stream.FlushAsync(stop).ConfigureAwait(false);
        }

        switch (plan.Ending)
        {
            case FakeFaultKind.ResetAfterBodyBytes:
                Reset(socket);
                return false;
            case FakeFaultKind.StallAfterBodyBytes:
                await WaitForClientToLeaveAsync(stream, stop).ConfigureAwait(false);
                return false;
            case FakeFaultKind.TruncateAfterBodyBytes:
                // A chunked body ends cleanly but short (a stream cut before [DONE]); a sized body cannot, so the connection closes.
                if (chunked)
                    await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), stop).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Send);
                return false;
        }
        if (chunked)
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), stop).ConfigureAwait(false);
        return true;
    }

    private static void Reset(Socket socket)
    {
        // Linger 0 makes close send RST instead of FIN: the client sees a reset, not an orderly end.
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private static async Task WaitForClientToLeaveAsync(NetworkStream stream, CancellationToken stop)
    {
        byte[] sink = new byte[256];
        while (await stream.ReadAsync(sink, stop).ConfigureAwait(false) > 0)
        {
        }
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };

    /// <summary>Stops listening, closes every connection and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        foreach (Socket socket in _connections.Keys)
            socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        Task all = Task.WhenAll(_connections.Values);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Reads HTTP/1.1 requests (request line, headers, Content-Length body) from a connection.</summary>
    private sealed class RequestReader(Stream stream)
    {
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public async Task<FakeHttpRequest?> ReadRequestAsync(CancellationToken stop)
        {
            int headEnd;
            while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (_end - _start > MaxHeadBytes)
                    throw new IOException("Request head too large.");
                if (!await FillAsync(stop).ConfigureAwait(false))
                    return null;
            }
            string head = Encoding.ASCII.GetString(_buffer, _start, headEnd);
            _start += headEnd + 4;
            string[] lines = head.Split("\r\n");
            string[] requestLine = lines[0].Split(' ');
            if (requestLine.Length < 2)
                throw new IOException("Malformed request line.");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                    continue;
                string name = lines[i][..colon].Trim();
                string value = lines[i][(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out string? existing) ? existing + ", " + value : value;
            }
            int length = headers.TryGetValue("Content-Length", out string? cl) && int.TryParse(cl, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
            if (length > MaxRequestBodyBytes)
                throw new IOException("Request body too large.");
            while (_end - _start < length)
            {
                if (!await FillAsync(stop).ConfigureAwait(false))
                    return null;
            }
            byte[] body = _buffer.AsSpan(_start, length).ToArray();
            _start += length;
            string path = requestLine[1];
            // A request sent through a proxy names the whole URL (absolute form, RFC 9112 3.2.2): serve its path, so
            // the server can stand in for a forward proxy in front of any host name.
            if (Uri.TryCreate(path, UriKind.Absolute, out Uri? absolute) && absolute.Scheme is "http" or "https")
                path = absolute.PathAndQuery;
            int query = path.IndexOf('?', StringComparison.Ordinal);
            return new FakeHttpRequest(requestLine[0], query >= 0 ? path[..query] : path, headers, body);
        }

        private async Task<bool> FillAsync(CancellationToken stop)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
                Array.Resize(ref _buffer, _buffer.Length * 2);
            int read = await stream.ReadAsync(_buffer.AsMemory(_end), stop).ConfigureAwait(false);
            _end += read;
            return read > 0;
        }
    }
}
