using System.Buffers;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using GatewayChatMessage = AotGateway.ChatMessage;

namespace AotGateway.Bench.Concurrency;

/// <summary>One streamed chat, measured: the time to its first chunk of text and the characters it carried.</summary>
public interface IStreamClient : IDisposable
{
    /// <summary>One stream; a negative <paramref name="i"/> is a warm-up, which the server answers without pacing.</summary>
    Task<(TimeSpan FirstChunk, long Characters)> StreamOnceAsync(int i);

    public static string Prompt(int i) => i < 0 ? "warmup" : "stream " + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>How a client speaks HTTP: the version, and whether HTTP/2 may open more connections than one.</summary>
public sealed record HttpMode(string Name, Version Version, bool MultipleHttp2Connections)
{
    public static readonly HttpMode Http11 = new("HTTP/1.1", HttpVersion.Version11, false);
    public static readonly HttpMode Http2 = new("HTTP/2, one connection", HttpVersion.Version20, false);
    public static readonly HttpMode Http2Multiple = new("HTTP/2, multiple connections", HttpVersion.Version20, true);

    public static HttpMode Parse(string name) => name switch
    {
        "h1" => Http11,
        "h2" => Http2,
        "h2m" => Http2Multiple,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>A handler that trusts only the bench server's certificate (pinned by its SHA-256).</summary>
    public SocketsHttpHandler Handler(string certificateHash) => new()
    {
        EnableMultipleHttp2Connections = MultipleHttp2Connections,
        MaxConnectionsPerServer = int.MaxValue,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)) == certificateHash,
        },
    };
}

public sealed class AotGatewayStreamClient(Uri baseUrl, HttpMessageHandler handler, Version version) : IStreamClient
{
    private readonly GatewayClient _client = new(new GatewayClientOptions
    {
        BaseUrl = baseUrl,
        ApiKey = "bench-key",
        DefaultModel = "acme/llama-3-70b",
        Handler = handler,
        HttpVersion = version,
        HttpVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    });

    public async Task<(TimeSpan, long)> StreamOnceAsync(int i)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        TimeSpan first = TimeSpan.Zero;
        long characters = 0;
        await foreach (ChatUpdate update in _client.StreamAsync(new ChatRequest([GatewayChatMessage.User(IStreamClient.Prompt(i))])))
        {
            if (update.ContentUtf8.IsEmpty)
                continue;
            if (characters == 0)
                first = System.Diagnostics.Stopwatch.GetElapsedTime(start);
            characters += update.ContentUtf8.Length;
        }
        return (first, characters);
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>The floor: the same job by hand, HttpClient and a Utf8JsonReader over each event's bytes, nothing else.</summary>
public sealed class FloorStreamClient(Uri baseUrl, HttpMessageHandler handler, Version version) : IStreamClient
{
    private static byte[] Body(int i) => Encoding.UTF8.GetBytes("{\"model\":\"acme/llama-3-70b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + IStreamClient.Prompt(i) + "\"}]}");
    private readonly HttpClient _http = new(handler);
    private readonly Uri _endpoint = new(baseUrl, "v1/chat/completions");

    public async Task<(TimeSpan, long)> StreamOnceAsync(int i)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(Body(i)), Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        request.Headers.TryAddWithoutValidation("Authorization", "Api-Key bench-key");
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using Stream body = await response.Content.ReadAsStreamAsync();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        int filled = 0;
        TimeSpan first = TimeSpan.Zero;
        long characters = 0;
        try
        {
            while (true)
            {
                int read = await body.ReadAsync(buffer.AsMemory(filled));
                if (read == 0)
                    return (first, characters);
                filled += read;
                int consumed = 0;
                while (true)
                {
                    int end = buffer.AsSpan(consumed, filled - consumed).IndexOf("\n\n"u8);
                    if (end < 0)
                        break;
                    ReadOnlySpan<byte> line = buffer.AsSpan(consumed, end);
                    consumed += end + 2;
                    if (!line.StartsWith("data: "u8) || line[6..].SequenceEqual("[DONE]"u8))
                        continue;
                    long n = ContentLength(line[6..]);
                    if (n > 0 && characters == 0)
                        first = System.Diagnostics.Stopwatch.GetElapsedTime(start);
                    characters += n;
                }
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long ContentLength(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("content"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                return reader.ValueSpan.Length;
        }
        return 0;
    }

    public void Dispose() => _http.Dispose();
}

public sealed class OpenAiStreamClient : IStreamClient
{
    private readonly ChatClient _client;

    public OpenAiStreamClient(Uri baseUrl, HttpMessageHandler handler)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(baseUrl, "v1"), Transport = new HttpClientPipelineTransport(new HttpClient(handler)) };
        options.AddPolicy(new ApiKeyPolicy(), PipelinePosition.BeforeTransport);
        _client = new ChatClient("acme/llama-3-70b", new ApiKeyCredential("unused"), options);
    }

    public async Task<(TimeSpan, long)> StreamOnceAsync(int i)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        TimeSpan first = TimeSpan.Zero;
        long characters = 0;
        await foreach (StreamingChatCompletionUpdate update in _client.CompleteChatStreamingAsync([new UserChatMessage(IStreamClient.Prompt(i))]))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                if (characters == 0)
                    first = System.Diagnostics.Stopwatch.GetElapsedTime(start);
                characters += part.Text.Length;
            }
        }
        return (first, characters);
    }

    public void Dispose()
    {
    }

    private sealed class ApiKeyPolicy : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("Authorization", "Api-Key bench-key");
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("Authorization", "Api-Key bench-key");
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
