using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Cli.Samples;

/// <summary>The sample types <c>aotgw chat --schema NAME</c> can ask for, each with generated JSON code.</summary>
internal static class SchemaSamples
{
    public const string Names = "weather, contact";

    public static Task<string> RunAsync(string name, GatewayClient client, ChatRequest request, bool stream, CancellationToken cancellationToken) => name switch
    {
        "weather" => RunAsync<WeatherReport>(client, request, stream, cancellationToken),
        "contact" => RunAsync<Contact>(client, request, stream, cancellationToken),
        _ => throw new UsageException($"unknown schema sample '{name}' (samples: {Names})"),
    };

    /// <summary>
    /// Streams the sample's reply and writes the object as it fills in, one line of JSON per change (JSON Lines), then
    /// the final object, read strictly and written by the generated writer, as the last line.
    /// </summary>
    public static Task RunPartialAsync(string name, GatewayClient client, ChatRequest request, Stream output, CancellationToken cancellationToken) => name switch
    {
        "weather" => RunPartialAsync<WeatherReport>(client, request, output, cancellationToken),
        "contact" => RunPartialAsync<Contact>(client, request, output, cancellationToken),
        _ => throw new UsageException($"unknown schema sample '{name}' (samples: {Names})"),
    };

    private static async Task RunPartialAsync<T>(GatewayClient client, ChatRequest request, Stream output, CancellationToken cancellationToken) where T : IGatewayJson<T>
    {
        ChatStream<T> stream = client.StreamAsync<T>(request, cancellationToken);
        var line = new MemoryStream();
        byte[]? last = null;
        await foreach (ChatUpdate update in stream.ConfigureAwait(false))
        {
            if (!stream.PartialChanged || stream.PartialJson is not { } json)
                continue;
            // The model's text, whole values only, on one line.
            line.SetLength(0);
            using (var writer = new Utf8JsonWriter(line, LineOptions))
                JsonDocument.Parse(json).WriteTo(writer);
            line.WriteByte((byte)'\n');
            last = line.ToArray();
            await output.WriteAsync(last, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        T value = await stream.ToObjectAsync(cancellationToken).ConfigureAwait(false);
        line.SetLength(0);
        using (var writer = new Utf8JsonWriter(line, LineOptions))
            GatewayJson.Write(writer, value);
        line.WriteByte((byte)'\n');
        // The last partial is usually the final object already; it is written once.
        if (last is null || !line.ToArray().AsSpan().SequenceEqual(last))
            await output.WriteAsync(line.ToArray(), cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static readonly JsonWriterOptions LineOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task<string> RunAsync<T>(GatewayClient client, ChatRequest request, bool stream, CancellationToken cancellationToken) where T : IGatewayJson<T>
    {
        T value = stream
            ? (await client.StreamAsync<T>(request, cancellationToken).ToCompletionAsync(cancellationToken).ConfigureAwait(false)).ParseContent<T>()
            : await client.CompleteAsync<T>(request, cancellationToken).ConfigureAwait(false);
        // Written back with the generated writer: what is printed is what was parsed.
        var output = new MemoryStream();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            GatewayJson.Write(writer, value);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }
}
