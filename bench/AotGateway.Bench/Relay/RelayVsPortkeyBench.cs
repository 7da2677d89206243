using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AotGateway.Bench.Relay;

/// <summary>
/// The NativeAOT relay (tests/AotGateway.Relay) against Portkey's AI gateway (Node.js), both relaying
/// <see cref="PacedUpstream"/> to N concurrent streams: CPU per stream (the relay process's user + system time over
/// the measured streams) and peak resident set, a fresh process per round, relay and Portkey in turns.
/// <c>bench/relay/run.sh</c> publishes the relay, installs Portkey into a folder of its own, and runs this.
/// </summary>
internal static class RelayVsPortkeyBench
{
    private const string Key = "fake-gateway-key";

    private sealed record Target(string Name, Func<int, int, ProcessStartInfo> Start, Func<int, HttpRequestMessage> Request);

    public static async Task<int> RunAsync(string relayBinary, string portkeyServer, int rounds, int[] concurrencies, string[] relayEnvironment, string? profiler, string? cpus)
    {
        string? loadCpus = null, targetCpus = null;
        if (cpus is not null)
        {
            // "LOAD/TARGET": this process (load generator and upstream, every thread) on LOAD, each measured server on
            // TARGET, so neither takes the other's cores.
            string[] sets = cpus.Split('/');
            if (sets.Length != 2)
                throw new ArgumentException($"cpus:{cpus} is not LOAD/TARGET (say cpus:0/1)");
            using (Process pin = Process.Start("taskset", ["-a", "-p", "-c", sets[0], Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                pin.WaitForExit();
                if (pin.ExitCode != 0)
                    throw new InvalidOperationException("taskset could not pin the load generator");
            }
            (loadCpus, targetCpus) = (sets[0], sets[1]);
        }
        await using var upstream = new PacedUpstream();
        string upstreamUrl = $"http://127.0.0.1:{upstream.Port}/v1";
        var relay = new Target("relay", (port, _) =>
        {
            var start = Pinned(targetCpus, relayBinary, []);
            start.Environment["BASETEN_API_KEY"] = Key;
            start.Environment["BASETEN_BASE_URL"] = upstreamUrl;
            start.Environment["BASETEN_MODEL"] = "fake/echo-1";
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            foreach (string variable in relayEnvironment)
            {
                int equals = variable.IndexOf('=', StringComparison.Ordinal);
                start.Environment[variable[..equals]] = variable[(equals + 1)..];
            }
            return start;
        }, port =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/chat") { Content = new StringContent("{\"prompt\":\"hi\"}", Encoding.UTF8, "application/json") };
            return request;
        });
        var portkey = new Target("portkey", (port, _) =>
        {
            var start = Pinned(targetCpus, "node", [portkeyServer, $"--port={port}", "--headless"]);
            start.Environment["NODE_ENV"] = "production";
            return start;
        }, port =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/v1/chat/completions")
            {
                Content = new StringContent("{\"model\":\"fake/echo-1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-portkey-provider", "openai");
            request.Headers.Add("x-portkey-custom-host", upstreamUrl);
            // Portkey's OpenAI provider forwards this header upstream as OpenAI expects it; the paced upstream reads no
            // header. (The gateway itself takes Api-Key, never Bearer: the relay's client sends that.)
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Key);
            return request;
        });

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = TimeSpan.FromMinutes(2) };
        Console.WriteLine($"upstream: {PacedUpstream.Chunks} chunks per reply, one every {PacedUpstream.Interval.TotalMilliseconds} ms; CPUs: {(cpus is null ? "shared" : $"load generator {loadCpus}, server {targetCpus}")}; relay environment: {(relayEnvironment.Length == 0 ? "(none)" : string.Join(' ', relayEnvironment))}");
        Console.WriteLine("| streams at once | round | relay CPU ms per stream | Portkey CPU ms per stream | CPU ÷ | relay peak RSS MB | Portkey peak RSS MB | RSS ÷ |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (int concurrency in concurrencies)
        {
            var cpuRatios = new List<double>();
            var rssRatios = new List<double>();
            for (int round = 1; round <= rounds; round++)
            {
                (double relayCpu, double relayRss) = await MeasureAsync(relay, client, concurrency, ProfilerFor(profiler, "relay", concurrency, round));
                (double portkeyCpu, double portkeyRss) = await MeasureAsync(portkey, client, concurrency, ProfilerFor(profiler, "portkey", concurrency, round));
                cpuRatios.Add(relayCpu / portkeyCpu);
                rssRatios.Add(relayRss / portkeyRss);
                Console.WriteLine($"| {concurrency} | {round} | {relayCpu:F2} | {portkeyCpu:F2} | {relayCpu / portkeyCpu:F2} | {relayRss:F1} | {portkeyRss:F1} | {relayRss / portkeyRss:F2} |");
            }
            Console.WriteLine($"| {concurrency} | median | | | {Median(cpuRatios):F2} | | | {Median(rssRatios):F2} |");
        }
        return 0;
    }

    /// <summary>
    /// A fresh process: one warm-up stream per connection, then the measured streams; CPU per measured stream and peak
    /// RSS. A profiler command (<c>{pid}</c> replaced) runs over the measured streams only and is stopped by SIGINT,
    /// as <c>perf record</c> expects.
    /// </summary>
    private static async Task<(double CpuMsPerStream, double PeakRssMb)> MeasureAsync(Target target, HttpClient client, int concurrency, string? profiler)
    {
        int port = FreePort();
        using Process process = Process.Start(target.Start(port, concurrency))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitForPortAsync(port, process);
            int streamsEach = Math.Max(2, 500 / concurrency);
            await LoadAsync(target, client, port, concurrency, 1); // warm-up: connections, JIT (Node), pools
            using Process? profiling = profiler is null ? null : await StartProfilerAsync(profiler.Replace("{pid}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            long before = CpuTicks(process.Id);
            int streams = await LoadAsync(target, client, port, concurrency, streamsEach);
            long ticks = CpuTicks(process.Id) - before;
            if (profiling is not null)
                await StopProfilerAsync(profiling);
            double cpuMs = ticks * 1000.0 / 100; // USER_HZ
            return (cpuMs / streams, PeakRssKiB(process.Id) / 1024.0);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>taskset execs the program, so the PID measured is the server's own.</summary>
    private static ProcessStartInfo Pinned(string? cpus, string program, string[] arguments) =>
        new(cpus is null ? program : "taskset", cpus is null ? arguments : ["-c", cpus, program, .. arguments])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

    private static string? ProfilerFor(string? command, string target, int concurrency, int round) =>
        command?.Replace("{target}", target, StringComparison.Ordinal).Replace("{round}", $"{concurrency}-{round}", StringComparison.Ordinal);

    private static async Task<Process> StartProfilerAsync(string command)
    {
        Process profiling = Process.Start(new ProcessStartInfo("bash", ["-c", "exec " + command]) { UseShellExecute = false })!;
        await Task.Delay(500); // perf needs a moment to attach; the streams it would miss are not the ones measured
        return profiling;
    }

    private static async Task StopProfilerAsync(Process profiling)
    {
        using (Process signal = Process.Start("kill", ["-INT", profiling.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await signal.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await profiling.WaitForExitAsync(timeout.Token);
    }

    private static async Task<int> LoadAsync(Target target, HttpClient client, int port, int concurrency, int streamsEach)
    {
        var workers = new Task[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                byte[] buffer = new byte[16 * 1024];
                for (int s = 0; s < streamsEach; s++)
                {
                    using HttpRequestMessage request = target.Request(port);
                    using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    if (!response.IsSuccessStatusCode)
                        throw new InvalidOperationException($"{target.Name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    await using Stream body = await response.Content.ReadAsStreamAsync();
                    long total = 0;
                    int read;
                    while ((read = await body.ReadAsync(buffer)) > 0)
                        total += read;
                    if (total < PacedUpstream.Chunks * 10)
                        throw new InvalidOperationException($"{target.Name} relayed only {total} bytes of a stream");
                }
            });
        }
        await Task.WhenAll(workers);
        return concurrency * streamsEach;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the server exited ({process.ExitCode}) before listening");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"nothing listened on {port} within 30 s");
    }

    /// <summary>User plus system time of the whole process so far, in clock ticks (/proc/PID/stat fields 14 and 15).</summary>
    private static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long PeakRssKiB(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
