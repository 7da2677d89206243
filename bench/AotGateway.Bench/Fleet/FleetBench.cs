using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AotGateway.Extensions.Redis;
using AotGateway.Testing;
using StackExchange.Redis;

namespace AotGateway.Bench.Fleet;

/// <summary>
/// Eight replicas (processes) sharing one key against the fake gateway over loopback, counting as the real one does:
/// requests 120 per minute and tokens 60,000 per minute on one slug, plus a daily token limit. Three ways: each
/// replica alone (no sharing: the baseline), limits set and shared on Redis, limits unknown but the gateway's word
/// shared on Redis. Then the latency one Redis round trip adds per call. Needs redis-server on PATH.
/// </summary>
internal static class FleetBench
{
    private const string Slug = FakeGateway.DefaultModel;
    private const int Replicas = 8;

    /// <param name="seconds">How long each way runs.</param>
    /// <param name="only">One way's mode (<c>alone</c>, <c>configured</c>, <c>learned</c>), or null for all three.</param>
    public static async Task<int> RunAsync(int seconds, string? only = null)
    {
        if (FindOnPath("redis-server") is not { } redisServer)
        {
            Console.Error.WriteLine("redis-server is not on PATH: 'apt-get install redis-server' to run the fleet bench.");
            return 2;
        }
        using var redis = new LocalRedis(redisServer);
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version}; {Replicas} replica processes, {seconds} s each way; " +
            "fake gateway on 127.0.0.1: 120 requests and 60,000 tokens per minute on one slug, counted for the key's group");
        Console.WriteLine();
        Console.WriteLine("Served: calls answered. Goodput: served over the request limit of every minute window the run touched. 429s: as the");
        Console.WriteLine("gateway counted them (each retry too). Calls that failed: after their retries, with a 429 the gateway sent; held (not");
        Console.WriteLine("sent) by the shared state; still waiting when the run ended.");
        Console.WriteLine();
        Console.WriteLine("| Way | Served | Goodput | 429s: rate | 429s: daily | Failed on a 429 | Held, not sent | Unfinished | Sent after the first daily 429 | Most rate 429s in one window (after its first second) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach ((string name, string mode, int dailyTokens) in (ValueTuple<string, string, int>[])
            [("each replica alone (today)", "alone", 1_000_000_000), ("limits set, shared on Redis", "configured", 1_000_000_000), ("limits unknown, gateway's word on Redis", "learned", 4_000)])
        {
            if (only is not null && only != mode)
                continue;
            redis.Flush();
            await RunWayAsync(name, mode, dailyTokens, seconds, redis.Configuration).ConfigureAwait(false);
        }
        Console.WriteLine();
        await MeasureLatencyAsync(redis.Configuration).ConfigureAwait(false);
        return 0;
    }

    private static async Task RunWayAsync(string name, string mode, int dailyTokens, int seconds, string redisConfiguration)
    {
        FakeGateway gateway = FakeGateway.CreateDefault();
        gateway.RequestLogCapacity = 0;
        gateway.SetLimits(Slug, new FakeLimits { Window = TimeSpan.FromMinutes(1), RequestsPerWindow = 120, TokensPerWindow = 60_000, TokensPerDay = dailyTokens });
        var rateBreaches = new List<DateTimeOffset>();
        int dailyBreaches = 0;
        long requestsAtFirstDaily = -1;
        DateTimeOffset firstDaily = default;
        DateTimeOffset lastDaily = default;
        gateway.LimitReply = breach =>
        {
            lock (rateBreaches)
            {
                if (breach.IsUsageLimit)
                {
                    lastDaily = DateTimeOffset.UtcNow;
                    if (dailyBreaches++ == 0)
                    {
                        requestsAtFirstDaily = gateway.RequestCount;
                        firstDaily = DateTimeOffset.UtcNow;
                    }
                }
                else
                {
                    rateBreaches.Add(DateTimeOffset.UtcNow);
                }
            }
            return FakeReply.Error(429, breach.IsUsageLimit ? "Daily usage limit reached." : "Rate limit exceeded.",
                breach.IsUsageLimit ? "usage_limit_exceeded" : "rate_limit_exceeded", breach.IsUsageLimit ? "daily_usage_limit_exceeded" : "rate_limit_exceeded",
                new KeyValuePair<string, string>("Retry-After", Math.Max(1, (int)Math.Ceiling(breach.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture)));
        };
        await using LoopbackGatewayServer server = LoopbackGatewayServer.Start(gateway);
        string self = Environment.ProcessPath!;
        string host = Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : self;
        string prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? typeof(FleetBench).Assembly.Location + " " : "";
        var children = new List<Task<double[]>>();
        DateTimeOffset started = DateTimeOffset.UtcNow;
        for (int i = 0; i < Replicas; i++)
            children.Add(Concurrency.ConcurrencyBench.RunChildAsync(host, $"{prefix}fleet-replica {server.BaseUrl} {redisConfiguration} {mode} {seconds} {i}"));
        double[][] results = await Task.WhenAll(children).ConfigureAwait(false);
        double Sum(int column) => results.Sum(r => r[column]);
        DateTimeOffset ended = DateTimeOffset.UtcNow;
        // The fake's windows are clock minutes: count the ones the run touched.
        long windows = ended.ToUnixTimeSeconds() / 60 - started.ToUnixTimeSeconds() / 60 + 1;
        int mostPerMinute;
        long afterDaily = requestsAtFirstDaily < 0 ? 0 : gateway.RequestCount - requestsAtFirstDaily;
        int mostLater;
        lock (rateBreaches)
        {
            var perWindow = rateBreaches.GroupBy(t => t.ToUnixTimeSeconds() / 60).ToList();
            mostPerMinute = perWindow.Count == 0 ? 0 : perWindow.Max(g => g.Count());
            // Retries into a limit already met: the 429s more than a second after the window's first (those within it
            // were already on their way when the first 429 came back).
            mostLater = perWindow.Count == 0 ? 0 : perWindow.Max(g => g.Count(t => t > g.Min() + TimeSpan.FromSeconds(1)));
        }
        double served = Sum(0);
        Console.WriteLine(FormattableString.Invariant(
            $"| {name} | {served:0} | {served / (120.0 * windows):P0} | {rateBreaches.Count} | {dailyBreaches} | {Sum(1) + Sum(2):0} | {Sum(3):0} | {Sum(4):0} | {(requestsAtFirstDaily < 0 ? "—" : $"{afterDaily} (the last {(lastDaily - firstDaily).TotalMilliseconds:0} ms after the first)")} | {mostPerMinute} ({mostLater}) |"));
    }

    /// <summary>One replica: bursts of calls for <paramref name="seconds"/>; prints served, failed on a rate 429, on a daily 429, held, unfinished.</summary>
    public static async Task<int> RunReplicaAsync(string baseUrl, string redisConfiguration, string mode, int seconds, int seed)
    {
        using ConnectionMultiplexer? redis = mode == "alone" ? null : await ConnectionMultiplexer.ConnectAsync(redisConfiguration).ConfigureAwait(false);
        var options = new GatewayClientOptions { BaseUrl = new Uri(baseUrl), ApiKey = FakeGateway.DefaultKey, DefaultModel = Slug };
        options.Limits.ShareGatewayLimits = mode != "alone";
        if (redis is not null)
            options.Limits.Store = new RedisLimitStore(redis);
        if (mode == "configured")
            options.Limits.Models[Slug] = new ModelLimits { RequestsPerMinute = 120, TokensPerMinute = 60_000, TokensPerDay = 1_000_000_000 };
        options.Limits.MaxWait = TimeSpan.FromSeconds(seconds);
        using var client = new GatewayClient(options);
        int served = 0, rate = 0, daily = 0, held = 0, unfinished = 0;
        var random = new Random(seed);
        var end = DateTime.UtcNow.AddSeconds(seconds);
        var calls = new List<Task>();
        while (DateTime.UtcNow < end)
        {
            // A burst of work, as a replica behind a load balancer sees it: 4 to 12 calls at once, then a pause.
            int burst = random.Next(4, 13);
            for (int i = 0; i < burst; i++)
            {
                calls.Add(Task.Run(async () =>
                {
                    using var budget = new CancellationTokenSource(end - DateTime.UtcNow + TimeSpan.FromSeconds(5));
                    try
                    {
                        await client.CompleteAsync(new ChatRequest([ChatMessage.User("summarize the day")]) { MaxTokens = 100 }, budget.Token).ConfigureAwait(false);
                        Interlocked.Increment(ref served);
                    }
                    catch (GatewayRateLimitException ex) when (!ex.WasSent)
                    {
                        Interlocked.Increment(ref held);
                    }
                    catch (GatewayRateLimitException ex)
                    {
                        Interlocked.Increment(ref ex.IsUsageLimit ? ref daily : ref rate);
                    }
                    catch (OperationCanceledException)
                    {
                        Interlocked.Increment(ref unfinished);
                    }
                }));
            }
            await Task.Delay(TimeSpan.FromSeconds(random.Next(2, 6))).ConfigureAwait(false);
        }
        await Task.WhenAll(calls).ConfigureAwait(false);
        Console.WriteLine(FormattableString.Invariant($"{served} {rate} {daily} {held} {unfinished}"));
        return 0;
    }

    /// <summary>What one call's limit check costs on loopback Redis against the in-process store: acquire and settle.</summary>
    private static async Task MeasureLatencyAsync(string redisConfiguration)
    {
        using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration).ConfigureAwait(false);
        var limits = new ModelLimits { RequestsPerMinute = 1_000_000, TokensPerMinute = 1_000_000_000 };
        Console.WriteLine("| Store | Calls | Median µs (acquire + settle) | p99 µs |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach ((string name, GatewayLimitStore store) in (ValueTuple<string, GatewayLimitStore>[])[("in-process", new InProcessLimitStore()), ("Redis on loopback", new RedisLimitStore(redis))])
        {
            var times = new double[5_000];
            for (int i = -500; i < times.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                LimitDecision decision = await store.AcquireAsync(new LimitRequest("bench", Slug, limits, 150, DateTimeOffset.UtcNow)).ConfigureAwait(false);
                await store.SettleAsync(new LimitSettlement("bench", Slug, decision.Reservation!, 40, DateTimeOffset.UtcNow)).ConfigureAwait(false);
                if (i >= 0)
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            Array.Sort(times);
            Console.WriteLine(FormattableString.Invariant($"| {name} | {times.Length:N0} | {times[times.Length / 2]:0} | {times[(int)(times.Length * 0.99)]:0} |"));
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>A redis-server of the bench's own, on a free loopback port, stopped by its PID.</summary>
    private sealed class LocalRedis : IDisposable
    {
        private readonly Process _process;
        private readonly string _folder = Directory.CreateTempSubdirectory("agw-fleet-redis-").FullName;

        public LocalRedis(string executable)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder })
                start.ArgumentList.Add(arg);
            _process = Process.Start(start)!;
            Configuration = $"127.0.0.1:{port},abortConnect=false";
            Thread.Sleep(300);
        }

        public string Configuration { get; }

        public void Flush()
        {
            using ConnectionMultiplexer redis = ConnectionMultiplexer.Connect(Configuration + ",allowAdmin=true");
            redis.GetServer(redis.GetEndPoints()[0]).FlushAllDatabases();
        }

        public void Dispose()
        {
            _process.Kill();
            _process.WaitForExit();
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
