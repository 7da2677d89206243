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
