using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AotGateway;

/// <summary>Turns a structured-output reply into its type, or into an error that keeps the reply.</summary>
public static class StructuredOutput
{
    /// <summary>Parses the first choice's content as <typeparamref name="T"/>.</summary>
    /// <exception cref="GatewayStructuredOutputException">The model refused, the reply was truncated, or it does not fit <typeparamref name="T"/>.</exception>
    public static T ParseContent<T>(this ChatCompletion completion) where T : IGatewayJson<T>
    {
        string text = ContentOrThrow(completion, T.JsonSchemaName);
        try
        {
            return GatewayJson.Deserialize<T>(text);
        }
        catch (JsonException ex)
        {
            throw DoesNotFit(completion, T.JsonSchemaName, text, ex.Message, ex);
        }
    }

    /// <summary>Parses the first choice's content with System.Text.Json metadata (a <c>JsonSerializerContext</c>'s <paramref name="typeInfo"/>).</summary>
    /// <exception cref="GatewayStructuredOutputException">The model refused, the reply was truncated, or it does not fit <typeparamref name="T"/>.</exception>
    public static T ParseContent<T>(this ChatCompletion completion, JsonTypeInfo<T> typeInfo)
    {
        System.ArgumentNullException.ThrowIfNull(typeInfo);
        string name = StrictSchemaFromJsonTypeInfo.NameOf(typeInfo);
        string text = ContentOrThrow(completion, name);
        try
        {
            return JsonSerializer.Deserialize(text, typeInfo) ?? throw DoesNotFit(completion, name, text, "it is null", null);
        }
        catch (JsonException ex)
        {
            throw DoesNotFit(completion, name, text, ex.Message, ex);
        }
    }

    private static string ContentOrThrow(ChatCompletion completion, string name)
    {
        System.ArgumentNullException.ThrowIfNull(completion);
        ChatMessage? message = completion.Message;
        string? text = message?.Content;
        if (message?.Refusal is { } refusal)
            throw new GatewayStructuredOutputException($"The model refused to answer with {name}: {refusal}", text, refusal, completion.FinishReason, completion.RequestId);
        if (string.IsNullOrEmpty(text))
            throw new GatewayStructuredOutputException($"The reply has no content to read as {name} (finish reason '{completion.FinishReason}').", text, null, completion.FinishReason, completion.RequestId);
        return text;
    }

    private static GatewayStructuredOutputException DoesNotFit(ChatCompletion completion, string name, string text, string problem, System.Exception? inner)
    {
        string why = completion.FinishReason == ChatFinishReasons.Length
            ? "it was cut at the token limit (finish reason 'length'): raise MaxTokens"
            : problem;
        return new GatewayStructuredOutputException($"The reply is not a valid {name}: {why}. The text is in RawText.", text, null, completion.FinishReason, completion.RequestId, inner);
    }
}
