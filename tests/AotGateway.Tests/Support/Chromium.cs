using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AotGateway.Tests.Support;

/// <summary>
/// Debian's headless Chromium, driven over the DevTools protocol (a WebSocket on 127.0.0.1, port chosen by Chromium
/// and read from its output): open a page, evaluate script in it, close it. Disposing ends the browser (ours).
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    public const string Path = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string? MissingReason => File.Exists(Path)
        ? null
        : "Chromium is not installed at /usr/bin/chromium: 'apt-get install chromium' (Debian) to run the browser tests; .ci/run installs it.";

    public static async Task<Chromium> StartAsync()
    {
        string profile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agw-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank" })
            start.ArgumentList.Add(argument);
        Process process = Process.Start(start)!;
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
            Match match = Regex.Match(e.Data, @"DevTools listening on (ws://127\.0\.0\.1:\d+/\S+)");
            if (match.Success)
                endpoint.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = new Chromium(process, profile);
        try
        {
            Uri ws = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await browser._socket.ConnectAsync(ws, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            browser._receiving = browser.ReceiveAsync();
            return browser;
        }
        catch (TimeoutException)
        {
            await browser.DisposeAsync();
            lock (output)
                throw new TimeoutException("Chromium did not open its DevTools endpoint within 30 s: " + output);
        }
    }

    /// <summary>Opens <paramref name="url"/> in a new tab; returns the tab's target and session ids.</summary>
    public async Task<(string Target, string Session)> OpenAsync(Uri url)
    {
        JsonElement created = await SendAsync("Target.createTarget", new JsonObject { ["url"] = url.ToString() });
        string target = created.GetProperty("targetId").GetString()!;
        JsonElement attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target, ["flatten"] = true });
        return (target, attached.GetProperty("sessionId").GetString()!);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the tab and returns its value as a string.</summary>
    public async Task<string> EvaluateAsync(string session, string expression)
    {
        JsonElement result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, session);
        return result.GetProperty("result").TryGetProperty("value", out JsonElement value) ? value.ToString() : "";
    }

    /// <summary>Polls <paramref name="expression"/> until <paramref name="done"/> holds for its value, within <paramref name="limit"/>.</summary>
    public async Task<string> WaitForAsync(string session, string expression, Func<string, bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        string value = "";
        while (clock.Elapsed < limit)
        {
            value = await EvaluateAsync(session, expression);
            if (done(value))
                return value;
            await Task.Delay(50);
        }
        throw new TimeoutException($"'{expression}' was still '{value}' after {limit.TotalSeconds} s.");
    }

    public Task CloseAsync(string target) => SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = target });

    private async Task<JsonElement> SendAsync(string method, JsonObject parameters, string? session = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session is not null)
            message["sessionId"] = session;
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
        JsonElement answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (answer.TryGetProperty("error", out JsonElement error))
            throw new InvalidOperationException($"{method} failed: {error}");
        return answer.GetProperty("result");
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                WebSocketReceiveResult received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                    return;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                    continue;
                JsonElement root = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                if (root.TryGetProperty("id", out JsonElement id) && _pending.TryRemove(id.GetInt32(), out TaskCompletionSource<JsonElement>? reply))
                    reply.TrySetResult(root);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
        _stop.Dispose();
    }
}

/// <summary>A fact that needs Chromium: skipped, saying how to get it, where it is absent.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.MissingReason is { } reason)
            Skip = reason;
    }
}
