using System.Diagnostics;
using System.Globalization;

namespace AotGateway.Bench.Concurrency;

/// <summary>
/// 10, 100 and 1,000 concurrent streams from one client against a TLS server on 127.0.0.1 (a child process), each
/// (client, HTTP mode, concurrency) in a fresh process of its own so its CPU time, allocations and peak RSS are its
/// alone. Columns: wall time, client CPU and bytes allocated per stream, peak RSS, sockets opened and TLS handshakes
/// (counted by the server), and time to the first chunk of text (median and p99).
/// </summary>
public static class ConcurrencyBench
{
    private static readonly (string Client, string Mode)[] s_configs =
    [
        ("aotgateway", "h1"), ("aotgateway", "h2"), ("aotgateway", "h2m"),
        ("floor", "h1"), ("floor", "h2"), ("floor", "h2m"),
        ("openai", "h1"),
    ];

    public static async Task<int> RunAsync(int[] concurrencies, int rounds)
    {
        string host = Environment.ProcessPath!;
        string self = Path.GetFileNameWithoutExtension(host) == "dotnet" ? $"\"{typeof(ConcurrencyBench).Assembly.Location}\" " : "";
        using Process server = Start(host, self + "concurrency-serve", input: true);
        string[] ready = (await server.StandardOutput.ReadLineAsync())!.Split(' ');
        string port = ready[0], hash = ready[1];
        try
        {
            Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version}; server: Kestrel over TLS on 127.0.0.1 in a child process, {TlsChatServer.Chunks} chunks per reply at {TlsChatServer.Pace.TotalMilliseconds:0} ms each; every figure the median of {rounds} runs, each in a fresh process, the configurations taking turns within each round");
            Console.WriteLine("| Streams | Client | HTTP | wall s | client CPU ms/stream | CPU min–max | B allocated/stream | peak RSS MiB | sockets | TLS handshakes | first chunk median ms | first chunk p99 ms |");
            Console.WriteLine("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            var ratios = new List<string>();
            foreach (int n in concurrencies)
            {
                // Rounds outside, configurations inside: a slow spell of the machine touches every configuration.
                var runs = new List<double[]>[s_configs.Length];
                for (int c = 0; c < s_configs.Length; c++)
                    runs[c] = [];
                for (int round = 0; round < rounds; round++)
                {
                    for (int c = 0; c < s_configs.Length; c++)
                    {
                        (string client, string mode) = s_configs[c];
                        runs[c].Add(await RunChildAsync(host, $"{self}concurrency-run {client} {mode} {n} {port} {hash}"));
                    }
                }
                for (int c = 0; c < s_configs.Length; c++)
                {
                    (string client, string mode) = s_configs[c];
                    double Median(int column) => MedianOf([.. runs[c].Select(r => r[column])]);
                    double[] cpu = [.. runs[c].Select(r => r[1])];
                    Console.WriteLine(FormattableString.Invariant(
                        $"| {n} | {Name(client)} | {HttpMode.Parse(mode).Name} | {Median(0):0.00} | {Median(1):0.00} | {cpu.Min():0.00}–{cpu.Max():0.00} | {Median(2):N0} | {Median(3):0.0} | {Median(4):0} | {Median(5):0} | {Median(6):0.0} | {Median(7):0.0} |"));
                }
                double Cpu(string client, string mode) => MedianOf([.. runs[Array.IndexOf(s_configs, (client, mode))].Select(r => r[1])]);
                double sdk = Cpu("openai", "h1");
                foreach (string mode in (string[])["h1", "h2", "h2m"])
                {
                    double ours = Cpu("aotgateway", mode), floor = Cpu("floor", mode);
                    ratios.Add(FormattableString.Invariant($"| {n} | {HttpMode.Parse(mode).Name} | {ours / floor:0.00}× | {ours / sdk:0.00}× |"));
                }
            }
            Console.WriteLine();
            Console.WriteLine("AotGateway's client CPU per stream (medians) against the floor in the same HTTP mode and against the OpenAI SDK (HTTP/1.1):");
            Console.WriteLine("| Streams | AotGateway's HTTP | ÷ floor | ÷ OpenAI SDK |");
            Console.WriteLine("| ---: | --- | ---: | ---: |");
            foreach (string row in ratios)
                Console.WriteLine(row);
            return 0;
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000))
                server.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Runs one measurement in a fresh process (tiered compilation off) and returns the numbers of its last line.</summary>
    internal static async Task<double[]> RunChildAsync(string host, string arguments)
    {
        using Process run = Start(host, arguments, input: false, steadyState: true);
        string? result = null;
        while (await run.StandardOutput.ReadLineAsync() is { } line)
            result = line;
        await run.WaitForExitAsync();
        if (run.ExitCode != 0 || result is null)
            throw new InvalidOperationException($"{arguments}: {await run.StandardError.ReadToEndAsync()}");
        return [.. result.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
    }

    internal static double MedianOf(double[] values)
    {
        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>One measured run, in this (fresh) process: a warm-up, then <paramref name="n"/> streams at once.</summary>
    public static async Task<int> RunOneAsync(string client, string modeName, int n, int port, string hash)
    {
        HttpMode mode = HttpMode.Parse(modeName);
        var baseUrl = new Uri($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        using IStreamClient streams = client switch
        {
            "aotgateway" => new AotGatewayStreamClient(new Uri(baseUrl, "v1"), mode.Handler(hash), mode.Version),
            "floor" => new FloorStreamClient(baseUrl, mode.Handler(hash), mode.Version),
            "openai" => new OpenAiStreamClient(baseUrl, mode.Handler(hash)),
            _ => throw new ArgumentOutOfRangeException(nameof(client)),
        };
        // Warm-up, as a service that has been running is warm: unpaced streams one after another on one connection.
        // The run's process has tiered compilation off (see Start), so every method is compiled optimized during the
        // warm-up and none is recompiled while the run is measured: the figures are the steady state, not the JIT.
        long expected = 0;
        for (int w = 0; w < 20; w++)
            (_, expected) = await streams.StreamOnceAsync(-1);
        using var http = new HttpClient(mode.Handler(hash));
        (int sockets, int handshakes) before = await StatsAsync(http, baseUrl);

        GC.Collect();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var running = new Task<(TimeSpan FirstChunk, long Characters)>[n];
        for (int i = 0; i < n; i++)
            running[i] = streams.StreamOnceAsync(i);
        (TimeSpan FirstChunk, long Characters)[] results = await Task.WhenAll(running);
        double wall = clock.Elapsed.TotalSeconds;
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        long bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        (int sockets, int handshakes) after = await StatsAsync(http, baseUrl);

        foreach ((_, long characters) in results)
        {
            if (characters != expected)
                throw new InvalidOperationException($"a stream carried {characters} characters, not {expected}");
        }
        double[] first = [.. results.Select(r => r.FirstChunk.TotalMilliseconds).Order()];
        // One line for the parent, which takes the medians: wall s, CPU ms per stream, bytes per stream, peak RSS MiB,
        // sockets and handshakes (the stats request itself opened one of each in each call), first chunk p50, p99 ms.
        Console.WriteLine(FormattableString.Invariant(
            $"{wall} {cpuMs / n} {bytes / n} {PeakRssMiB()} {after.sockets - before.sockets - 1} {after.handshakes - before.handshakes - 1} {Percentile(first, 0.5)} {Percentile(first, 0.99)}"));
        return 0;
    }

    internal static string Name(string client) => client switch
    {
        "aotgateway" => "AotGateway",
        "floor" => "floor (by hand)",
        _ => "OpenAI .NET SDK",
    };

    private static async Task<(int, int)> StatsAsync(HttpClient http, Uri baseUrl)
    {
        // A fresh connection each time (Connection: close), so it counts as exactly one socket and one handshake.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "stats")) { Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.ConnectionClose = true;
        using HttpResponseMessage response = await http.SendAsync(request);
        string[] parts = (await response.Content.ReadAsStringAsync()).Split(' ');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static double PeakRssMiB()
    {
        foreach (string line in File.ReadAllLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        return 0;
    }

    internal static Process Start(string host, string arguments, bool input, bool steadyState = false)
    {
        var start = new ProcessStartInfo(host, arguments)
        {
            RedirectStandardInput = input,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (steadyState)
            start.Environment["DOTNET_TieredCompilation"] = "0";
        return Process.Start(start)!;
    }
}
