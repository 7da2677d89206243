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
        foreach (string stream in new[] { StreamCorpus.Text, StreamCorpus.Tools, StreamCorpus.CrlfKeepAlive })
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
        }
        return failures;
    }
}
