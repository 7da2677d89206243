using System.Buffers;
using System.Text.Json;

namespace AotGateway.Tests.Support;

internal static class RequestJson
{
    /// <summary>The body the client writes for <paramref name="request"/>.</summary>
    public static JsonDocument Of(ChatRequest request, string model = "acme/model-1", bool stream = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            ChatRequestWriter.Write(writer, request, model, stream);
        return JsonDocument.Parse(buffer.WrittenMemory);
    }
}
