using System;
using System.Buffers;
using System.Text.Json;

namespace AotGateway.Testing;

/// <summary>Small JSON builders for the fake gateway's replies.</summary>
internal static class FakeJson
{
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] ErrorBody(string message, string? type, string? code) => Write(w =>
    {
        w.WriteStartObject();
        w.WritePropertyName("error"u8);
        w.WriteStartObject();
        w.WriteString("message"u8, message);
        if (type is null) w.WriteNull("type"u8); else w.WriteString("type"u8, type);
        w.WriteNull("param"u8);
        if (code is null) w.WriteNull("code"u8); else w.WriteString("code"u8, code);
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
