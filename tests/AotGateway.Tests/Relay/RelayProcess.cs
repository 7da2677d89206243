using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Relay;

/// <summary>
/// The relay service (tests/AotGateway.Relay) built once per run, and started as a child process on 127.0.0.1 with
/// a port the OS chooses, pointed at a gateway by BASETEN_* variables. Disposing ends that process (ours) and its output
/// stays readable, so tests can check that the key never reached a log.
/// </summary>
internal sealed class RelayProcess : IAsyncDisposable
{
    private static readonly Lazy<Task<string>> s_build = new(BuildAsync);
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private RelayProcess(Process process)
    {
        _process = process;
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>Everything the relay wrote to stdout and stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    /// <summary>The JIT build's entry assembly (built on first use).</summary>
    public static Task<string> DllAsync() => s_build.Value;

    /// <summary>The environment README's "Service" section recommends for a streaming relay (measured in bench/relay).</summary>
    public static readonly IReadOnlyDictionary<string, string> InlineIO = new Dictionary<string, string>
    {
        ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
        ["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"] = "1",
    };

    public static async Task<RelayProcess> StartAsync(string executable, Uri gateway, string key, string model = "fake/echo-1", IReadOnlyDictionary<string, string>? environment = null)
    {
        bool viaDotnet = executable.EndsWith(".dll", StringComparison.Ordinal);
        var start = new ProcessStartInfo(viaDotnet ? "dotnet" : executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        if (viaDotnet)
            start.ArgumentList.Add(executable);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["BASETEN_API_KEY"] = key;
        start.Environment["BASETEN_BASE_URL"] = gateway.ToString();
        start.Environment["BASETEN_MODEL"] = model;
        if (environment is not null)
        {
            foreach (KeyValuePair<string, string> variable in environment)
                start.Environment[variable.Key] = variable.Value;
        }
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var relay = new RelayProcess(process);
        void OnLine(string? line)
        {
            if (line is null)
                return;
            lock (relay._log)
                relay._log.AppendLine(line);
            Match match = Regex.Match(line, @"Now listening on: (http://127\.0\.0\.1:\d+)");
            if (match.Success)
                listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            relay.Address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return relay;
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The relay did not start listening within 60 s: " + relay.Log);
        }
    }

    private static async Task<string> BuildAsync()
    {
        Processes.Result build = await Processes.RunAsync("dotnet", "build tests/AotGateway.Relay/AotGateway.Relay.csproj -c Release -nologo", TimeSpan.FromMinutes(5));
        Assert.True(build.ExitCode == 0, build.Output + build.Error);
        return Path.Combine(Processes.RepositoryRoot, "tests", "AotGateway.Relay", "bin", "Release", "net10.0", "AotGateway.Relay.dll");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
