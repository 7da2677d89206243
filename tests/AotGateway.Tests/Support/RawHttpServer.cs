using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Tests.Support;

/// <summary>
/// A byte-exact HTTP/1.1 server on 127.0.0.1 (port chosen by the OS) for answers no well-behaved server library
/// would write: malformed status lines, endless interim responses, keys echoed in odd places. Each connection
/// serves one request: the server reads its head and body, hands both to <c>respond</c>, then closes it.
/// Connections are bounded in count; disposing stops the listener and every open connection.
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private const int MaxConnections = 200;
    private readonly TcpListener _listener;
    private readonly Func<RawExchange, Task> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;
    private int _accepted;

    private RawHttpServer(Func<RawExchange, Task> respond)
    {
        _respond = respond;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Starts a server that answers every request with <paramref name="respond"/>.</summary>
    public static RawHttpServer Start(Func<RawExchange, Task> respond) => new(respond);

    /// <summary>Starts a server that answers every request with the same bytes.</summary>
    public static RawHttpServer Start(string response) => new(exchange => exchange.WriteAsync(response));

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1/");

    /// <summary>How many requests have been received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    private int _requests;

    /// <summary>Cancelled when the client closes a connection the response is still being written to, or at dispose.</summary>
    public CancellationToken Stopping => _stop.Token;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested && _accepted < MaxConnections)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }
            _accepted++;
            _connections.Add(ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            try
            {
                string head = await ReadHeadAsync(stream);
                int length = ContentLength(head);
                byte[] body = new byte[length];
                await stream.ReadExactlyAsync(body, _stop.Token);
                int number = Interlocked.Increment(ref _requests);
                await _respond(new RawExchange(stream, head, Encoding.UTF8.GetString(body), number, _stop.Token));
                await stream.FlushAsync(_stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the server is stopping: both are outcomes a test may want.
            }
        }
    }

    private async Task<string> ReadHeadAsync(Stream stream)
    {
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (head.Length > 64 * 1024)
                throw new IOException("request head too long");
            if (await stream.ReadAsync(one, _stop.Token) == 0)
                throw new IOException("closed before the request head ended");
            head.Append((char)one[0]);
        }
        return head.ToString();
    }

    private static int ContentLength(string head)
    {
        foreach (string line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (Task connection in _connections)
            await connection.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}

/// <summary>One request as received, and the connection to answer it on.</summary>
internal sealed record RawExchange(Stream Stream, string Head, string Body, int Number, CancellationToken Stopping)
{
    /// <summary>The request's Authorization header value.</summary>
    public string Authorization
    {
        get
        {
            foreach (string line in Head.Split("\r\n"))
            {
                if (line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))
                    return line["Authorization:".Length..].Trim();
            }
            return "";
        }
    }

    public Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes, Stopping);
        await Stream.FlushAsync(Stopping);
    }

    /// <summary>A whole response with <c>Content-Length</c> and <c>Connection: close</c>; <paramref name="headers"/> are raw lines.</summary>
    public Task RespondAsync(string statusLine, string contentType, string body, params string[] headers)
    {
        var text = new StringBuilder();
        text.Append(statusLine).Append("\r\n");
        text.Append("Content-Type: ").Append(contentType).Append("\r\n");
        text.Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(body)).Append("\r\n");
        text.Append("Connection: close\r\n");
        foreach (string header in headers)
            text.Append(header).Append("\r\n");
        text.Append("\r\n").Append(body);
        return WriteAsync(text.ToString());
    }
}
