using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace AotGateway.Bench.Concurrency;

/// <summary>
/// Client CPU per chunk with the network taken out: the concurrency bench's reply, each event arriving alone after
/// a thread-pool hop (as a socket completion would wake a reader), from an in-process handler. What is left is each
/// client's own work per chunk, the part the concurrency bench's TLS, HTTP/2 and wake-ups bury in noise. Each client
/// runs in a fresh process (tiered compilation off, 200 warm-up streams), then 2,000 streams, 8 at a time.
/// </summary>
public static class ChunkCpuBench
{
    private const int Streams = 2_000;
    private const int AtOnce = 8;
    private static readonly string[] s_clients = ["aotgateway", "floor", "openai"];

    public static async Task<int> RunAsync(int rounds)
    {
        string host = Environment.ProcessPath!;
        string self = Path.GetFileNameWithoutExtension(host) == "dotnet" ? $"\"{typeof(ChunkCpuBench).Assembly.Location}\" " : "";
        var runs = new Dictionary<string, List<(double Cpu, double Bytes)>>();
        foreach (string client in s_clients)
            runs[client] = [];
        for (int round = 0; round < rounds; round++)
        {
            foreach (string client in s_clients)
            {
                double[] result = await ConcurrencyBench.RunChildAsync(host, $"{self}chunk-cpu-run {client}");
                runs[client].Add((result[0], result[1]));
            }
        }
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version}; {TlsChatServer.Chunks + 1} events per reply, each after a thread-pool hop; {Streams:N0} streams, {AtOnce} at a time; medians of {rounds} runs, each in a fresh process, the clients taking turns");
        Console.WriteLine("| Client | client CPU µs/chunk | CPU min–max | B allocated/chunk | ÷ floor | ÷ OpenAI SDK |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        double floor = ConcurrencyBench.MedianOf([.. runs["floor"].Select(r => r.Cpu)]);
        double sdk = ConcurrencyBench.MedianOf([.. runs["openai"].Select(r => r.Cpu)]);
        foreach (string client in s_clients)
        {
            double[] cpu = [.. runs[client].Select(r => r.Cpu)];
            double median = ConcurrencyBench.MedianOf([.. cpu]);
            double bytes = ConcurrencyBench.MedianOf([.. runs[client].Select(r => r.Bytes)]);
            Console.WriteLine(FormattableString.Invariant(
                $"| {ConcurrencyBench.Name(client)} | {median:0.00} | {cpu.Min():0.00}–{cpu.Max():0.00} | {bytes:N0} | {median / floor:0.00}× | {median / sdk:0.00}× |"));
        }
        return 0;
    }

    /// <summary>One client, in this (fresh) process: prints its CPU µs and bytes allocated per chunk.</summary>
    public static async Task<int> RunOneAsync(string client)
    {
        var baseUrl = new Uri("http://127.0.0.1:1/"); // never dialled: the handler answers in-process
        using IStreamClient streams = client switch
        {
            "aotgateway" => new AotGatewayStreamClient(new Uri(baseUrl, "v1"), new TrickleHandler(), HttpVersion.Version11),
            "floor" => new FloorStreamClient(baseUrl, new TrickleHandler(), HttpVersion.Version11),
            "openai" => new OpenAiStreamClient(baseUrl, new TrickleHandler()),
            _ => throw new ArgumentOutOfRangeException(nameof(client)),
        };
        long expected = 0;
        for (int w = 0; w < 200; w++)
            (_, expected) = await streams.StreamOnceAsync(-1);

        GC.Collect();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        int next = -1;
        var workers = new Task[AtOnce];
        for (int w = 0; w < AtOnce; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Streams)
                {
                    (_, long characters) = await streams.StreamOnceAsync(i);
                    if (characters != expected)
                        throw new InvalidOperationException($"a stream carried {characters} characters, not {expected}");
                }
            });
        }
        await Task.WhenAll(workers);
        double chunks = (double)Streams * TlsChatServer.Reply.Length;
        double cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / chunks;
        double bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / chunks;
        Console.WriteLine(FormattableString.Invariant($"{cpuUs} {bytes}"));
        return 0;
    }

    /// <summary>Answers every request with the bench's reply, one event per read.</summary>
    private sealed class TrickleHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StreamContent(new TrickleStream()) };
            response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
            return Task.FromResult(response);
        }
    }

    /// <summary>Each read yields to the thread pool first, then returns (the rest of) one event.</summary>
    private sealed class TrickleStream : AotGateway.Tests.Support.ReadOnlyTestStream
    {
        private int _event;
        private int _offset;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            if (_event == TlsChatServer.Reply.Length)
                return 0;
            ReadOnlySpan<byte> rest = TlsChatServer.Reply[_event].AsSpan(_offset);
            int count = Math.Min(rest.Length, buffer.Length);
            rest[..count].CopyTo(buffer.Span);
            _offset += count;
            if (_offset == TlsChatServer.Reply[_event].Length)
            {
                _event++;
                _offset = 0;
            }
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");
    }
}
