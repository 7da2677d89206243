namespace AotGateway.Bench;

/// <summary>
/// Before trusting a table, check that every decoder really decodes: each must see the same amount of text
/// and arguments (counted in UTF-16 characters for all, so the numbers compare).
/// </summary>
public static class Verify
{
    public static async Task<int> RunAsync()
    {
        int failures = 0;
        foreach (string stream in new[] { StreamCorpus.Text, StreamCorpus.Tools, StreamCorpus.CrlfKeepAlive, StreamCorpus.Logprobs })
        {
            var b = new StreamDecodeBenchmarks { Stream = stream };
            b.Setup();
            long spans = await b.AotGateway();
            long stj = await b.SseParserWithStj();
            long sdk = await b.OpenAiSdk();
            long meai = await b.MicrosoftExtensionsAi();
            long adapter = await b.AotGatewayAsIChatClient();
            Console.WriteLine($"{stream}: chunks={b.Chunks} bytes={b.Bytes} AotGateway(utf8)={spans} SseParser+STJ={stj} OpenAI={sdk} MEAI={meai} AotGateway-as-IChatClient={adapter} floor-events={b.Floor()} json-tokens={b.Utf8JsonReaderPass()}");
            // UTF-8 counts exceed UTF-16 counts only by the multi-byte characters ('é' here): check the peers agree exactly,
            // and that AotGateway's UTF-8 count is within that difference.
            if (stj != sdk || spans < stj || meai == 0 || adapter != meai)
            {
                Console.WriteLine("  MISMATCH");
                failures++;
            }
            b.Cleanup();
            await PrintAllocationPerExtraChunkAsync(stream);
        }
        return failures;
    }

    /// <summary>
    /// B/chunk in the BenchmarkDotNet table includes each stream's fixed cost (HTTP objects, buffers). What a
    /// chunk itself costs is the difference between a stream and one twice as long, divided by the extra chunks.
    /// Allocation counts are deterministic, so one run of each suffices (after a warm-up run).
    /// </summary>
    private static async Task PrintAllocationPerExtraChunkAsync(string stream)
    {
        var single = new StreamDecodeBenchmarks { Stream = stream, Scale = 1 };
        var twice = new StreamDecodeBenchmarks { Stream = stream, Scale = 2 };
        single.Setup();
        twice.Setup();
        var line = new System.Text.StringBuilder($"{stream}: B per extra chunk:");
        foreach ((string name, Func<StreamDecodeBenchmarks, Task<long>> run) in new (string, Func<StreamDecodeBenchmarks, Task<long>>)[]
        {
            ("AotGateway", b => b.AotGateway()),
            ("SseParser+STJ", b => b.SseParserWithStj()),
            ("OpenAI", b => b.OpenAiSdk()),
            ("AotGateway-as-IChatClient", b => b.AotGatewayAsIChatClient()),
            ("MEAI", b => b.MicrosoftExtensionsAi()),
        })
        {
            long singleBytes = await AllocatedAsync(single, run);
            long twiceBytes = await AllocatedAsync(twice, run);
            line.Append($" {name}={(double)(twiceBytes - singleBytes) / (twice.Chunks - single.Chunks):0.0}");
        }
        Console.WriteLine(line);
        single.Cleanup();
        twice.Cleanup();
    }

    private static async Task<long> AllocatedAsync(StreamDecodeBenchmarks b, Func<StreamDecodeBenchmarks, Task<long>> run)
    {
        await run(b);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await run(b);
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}
