using System.Text.Json;

namespace AotGateway;

/// <summary>Turns a structured-output reply into its type, or into an error that keeps the reply.</summary>
public static class StructuredOutput
{
    /// <summary>Parses the first choice's content as <typeparamref name="T"/>.</summary>
    /// <exception cref="GatewayStructuredOutputException">The model refused, the reply was truncated, or it does not fit <typeparamref name="T"/>.</exception>
    public static T ParseContent<T>(this ChatCompletion completion) where T : IGatewayJson<T>
    {
        System.ArgumentNullException.ThrowIfNull(completion);
        ChatMessage? message = completion.Message;
        string? text = message?.Content;
        if (message?.Refusal is { } refusal)
            throw new GatewayStructuredOutputException($"The model refused to answer with {T.JsonSchemaName}: {refusal}", text, refusal, completion.FinishReason, completion.RequestId);
        if (string.IsNullOrEmpty(text))
            throw new GatewayStructuredOutputException($"The reply has no content to read as {T.JsonSchemaName} (finish reason '{completion.FinishReason}').", text, null, completion.FinishReason, completion.RequestId);
        try
        {
            return GatewayJson.Deserialize<T>(text);
        }
        catch (JsonException ex)
        {
            string why = completion.FinishReason == ChatFinishReasons.Length
                ? "it was cut at the token limit (finish reason 'length'): raise MaxTokens"
                : ex.Message;
            throw new GatewayStructuredOutputException($"The reply is not a valid {T.JsonSchemaName}: {why}. The text is in RawText.", text, null, completion.FinishReason, completion.RequestId, ex);
        }
    }
}
