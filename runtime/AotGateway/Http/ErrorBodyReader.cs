using System;
using System.Text.Json;
using AotGateway.Json;

namespace AotGateway;

/// <summary>
/// Reads an error body in the shapes OpenAI-compatible servers use: <c>{"error":{"message","type","code","param"}}</c>
/// (OpenAI, vLLM, the gateway), <c>{"error":"text"}</c>, <c>{"message":..}</c> and FastAPI's <c>{"detail":..}</c>.
/// </summary>
internal static class ErrorBodyReader
{
    public readonly record struct ErrorBody(string? Type, string? Code, string? Message, string? Param);

    public static bool TryRead(ReadOnlySpan<byte> body, out ErrorBody error)
    {
        error = default;
        if (body.IsEmpty)
            return false;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            string? type = null, code = null, message = null, param = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    JsonReading.ReadOrThrow(ref reader);
                    if (reader.TokenType == JsonTokenType.StartObject)
                        ReadErrorObject(ref reader, ref type, ref code, ref message, ref param);
                    else
                        message ??= JsonReading.ReadText(ref reader);
                }
                else if (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("detail"u8))
                {
                    JsonReading.ReadOrThrow(ref reader);
                    message ??= JsonReading.ReadText(ref reader);
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    JsonReading.ReadOrThrow(ref reader);
                    type ??= JsonReading.ReadText(ref reader);
                }
                else if (reader.ValueTextEquals("code"u8))
                {
                    JsonReading.ReadOrThrow(ref reader);
                    code ??= JsonReading.ReadText(ref reader);
                }
                else
                {
                    JsonReading.ReadOrThrow(ref reader);
                    reader.Skip();
                }
            }
            error = new ErrorBody(type, code, message, param);
            return type is not null || code is not null || message is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReadErrorObject(ref Utf8JsonReader reader, ref string? type, ref string? code, ref string? message, ref string? param)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isMessage = reader.ValueTextEquals("message"u8);
            bool isType = reader.ValueTextEquals("type"u8);
            bool isCode = reader.ValueTextEquals("code"u8);
            bool isParam = reader.ValueTextEquals("param"u8);
            JsonReading.ReadOrThrow(ref reader);
            if (isMessage) message = JsonReading.ReadText(ref reader);
            else if (isType) type = JsonReading.ReadText(ref reader);
            else if (isCode) code = JsonReading.ReadText(ref reader);
            else if (isParam) param = JsonReading.ReadText(ref reader);
            else reader.Skip();
        }
    }
}
