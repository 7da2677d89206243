using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using GatewayChatMessage = AotGateway.ChatMessage;
using MeaiChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AotGateway.Bench;

/// <summary>
/// Decoding the same in-memory chat streams with each client, end to end from an HttpMessageHandler that
/// returns the bytes (the floor and ceiling read the bytes directly). Every method consumes the text and
/// tool-call arguments of every chunk the way that client offers them.
/// </summary>
[MemoryDiagnoser]
public class StreamDecodeBenchmarks
{
    private StreamCorpus.Corpus _corpus = null!;
    private GatewayClient _gateway = null!;
    private ChatRequest _request = null!;
    private HttpClient _http = null!;
    private ChatClient _openAi = null!;
    private IChatClient _meai = null!;
    private IChatClient _adapter = null!;
    private byte[] _boundary = null!;

    [Params(StreamCorpus.Text, StreamCorpus.Tools, StreamCorpus.CrlfKeepAlive, StreamCorpus.Logprobs)]
    public string Stream { get; set; } = StreamCorpus.Text;

    /// <summary>Multiplies the stream's length; only `verify` changes it, to measure allocation per extra chunk.</summary>
    public int Scale { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = StreamCorpus.Get(Stream, Scale);
        _boundary = Stream == StreamCorpus.CrlfKeepAlive ? "\r\n\r\n"u8.ToArray() : "\n\n"u8.ToArray();
        _gateway = new GatewayClient(new GatewayClientOptions
        {
            BaseUrl = new Uri("https://gateway.test/v1"),
            ApiKey = "bench-key",
            DefaultModel = "acme/llama-3-70b",
            Handler = new InMemoryHandler(_corpus.Bytes),
        });
        _request = new ChatRequest([GatewayChatMessage.User("hi")]);
        _http = new HttpClient(new InMemoryHandler(_corpus.Bytes));
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri("https://gateway.test/v1"),
            Transport = new HttpClientPipelineTransport(new HttpClient(new InMemoryHandler(_corpus.Bytes))),
        };
        _openAi = new ChatClient("acme/llama-3-70b", new ApiKeyCredential("bench-key"), options);
        _meai = new ChatClient("acme/llama-3-70b", new ApiKeyCredential("bench-key"), options).AsIChatClient();
        _adapter = new AotGateway.Extensions.AI.GatewayChatClient(_gateway);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _gateway.Dispose();
        _http.Dispose();
    }

    public int Chunks => _corpus.Chunks;

    public int Bytes => _corpus.Bytes.Length;

    [Benchmark(Baseline = true, Description = "AotGateway (UTF-8 spans)")]
    public async Task<long> AotGateway()
    {
        long n = 0;
        await foreach (ChatUpdate update in _gateway.StreamAsync(_request))
        {
            foreach (ChatChoiceUpdate choice in update.Choices)
            {
                n += choice.ContentUtf8.Length;
                foreach (ToolCallUpdate call in choice.ToolCalls)
                    n += call.ArgumentsUtf8.Length;
            }
        }
        return n;
    }

    [Benchmark(Description = "SseParser + STJ source gen")]
    public async Task<long> SseParserWithStj()
    {
        long n = 0;
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://gateway.test/v1/chat/completions");
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using Stream body = await response.Content.ReadAsStreamAsync();
        SseParser<StjChunk?> parser = SseParser.Create(body, static (_, data) =>
            data.SequenceEqual("[DONE]"u8) ? null : JsonSerializer.Deserialize(data, StjContext.Default.StjChunk));
        await foreach (SseItem<StjChunk?> item in parser.EnumerateAsync())
        {
            if (item.Data?.Choices is not { } choices)
                continue;
            foreach (StjChoice choice in choices)
            {
                n += choice.Delta?.Content?.Length ?? 0;
                if (choice.Delta?.ToolCalls is { } calls)
                    foreach (StjToolCall call in calls)
                        n += call.Function?.Arguments?.Length ?? 0;
            }
        }
        return n;
    }

    [Benchmark(Description = "OpenAI .NET SDK")]
    public async Task<long> OpenAiSdk()
    {
        long n = 0;
        await foreach (StreamingChatCompletionUpdate update in _openAi.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
                n += part.Text.Length;
            foreach (StreamingChatToolCallUpdate call in update.ToolCallUpdates)
                n += call.FunctionArgumentsUpdate?.ToMemory().Length ?? 0;
        }
        return n;
    }

    [Benchmark(Description = "AotGateway as IChatClient")]
    public Task<long> AotGatewayAsIChatClient() => CountAsync(_adapter);

    [Benchmark(Description = "M.E.AI over OpenAI SDK")]
    public Task<long> MicrosoftExtensionsAi() => CountAsync(_meai);

    /// <summary>Consumes an IChatClient's stream as M.E.AI hands it out: text per update, tool calls whole.</summary>
    private static async Task<long> CountAsync(IChatClient client)
    {
        long n = 0;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new MeaiChatMessage(Microsoft.Extensions.AI.ChatRole.User, "hi")]))
        {
            foreach (AIContent content in update.Contents)
            {
                if (content is TextContent text)
                    n += text.Text.Length;
                else if (content is FunctionCallContent call && call.Arguments is { } arguments)
                {
                    // M.E.AI hands out arguments parsed, once per call: count their text.
                    foreach (KeyValuePair<string, object?> argument in arguments)
                        n += argument.Value?.ToString()?.Length ?? 0;
                }
            }
        }
        return n;
    }

    [Benchmark(Description = "Floor: event boundaries only")]
    public long Floor()
    {
        long events = 0;
        ReadOnlySpan<byte> rest = _corpus.Bytes;
        ReadOnlySpan<byte> boundary = _boundary;
        int at;
        while ((at = rest.IndexOf(boundary)) >= 0)
        {
            events++;
            rest = rest[(at + boundary.Length)..];
        }
        return events;
    }

    [Benchmark(Description = "Ceiling: bare Utf8JsonReader pass")]
    public long Utf8JsonReaderPass()
    {
        long tokens = 0;
        ReadOnlySpan<byte> rest = _corpus.Bytes;
        ReadOnlySpan<byte> boundary = _boundary;
        int at;
        while ((at = rest.IndexOf(boundary)) >= 0)
        {
            ReadOnlySpan<byte> evt = rest[..at];
            rest = rest[(at + boundary.Length)..];
            int data = evt.IndexOf("data: "u8);
            if (data < 0)
                continue;
            ReadOnlySpan<byte> payload = evt[(data + 6)..];
            if (payload[0] != (byte)'{')
                continue;
            var reader = new Utf8JsonReader(payload);
            while (reader.Read())
                tokens++;
        }
        return tokens;
    }
}
