using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AotGateway.Tests.Support;

/// <summary>
/// A redis-server of the test's own: a free loopback port, a temporary folder, no persistence; stopped by its PID (and
/// can be killed and started again on the same port, as an outage would).
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _folder;
    private Process? _process;

    private RedisServer(int port, string folder)
    {
        Port = port;
        _folder = folder;
    }

    public static string? Executable { get; } = Processes.FindOnPath("redis-server");

    /// <summary>Why the Redis tests cannot run here, or null when they can.</summary>
    public static string? MissingReason => Executable is null
        ? "redis-server is not on PATH: 'apt-get install redis-server' (Debian) to run the shared-limit tests on Redis; .ci/run installs it."
        : null;

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration for this server (connects even while it is down).</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000,connectRetry=1";

    public static async Task<RedisServer> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var server = new RedisServer(port, Directory.CreateTempSubdirectory("agw-redis-").FullName);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port, and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Executable!)
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder, "--protected-mode", "yes" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (await AnswersAsync())
                return;
            Assert.False(_process.HasExited, "redis-server exited at start");
            await Task.Delay(50);
        }
        Assert.Fail("redis-server did not answer within 10 s");
    }

    /// <summary>Kills the server (an outage), waiting until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process?.Dispose();
        _process = null;
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port).WaitAsync(TimeSpan.FromSeconds(1));
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            byte[] answer = new byte[7];
            int read = await stream.ReadAsync(answer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            return read > 0 && answer[0] == (byte)'+';
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A fact that needs redis-server: skipped, saying how to get it, where it is absent.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.MissingReason is { } reason)
            Skip = reason;
    }
}
