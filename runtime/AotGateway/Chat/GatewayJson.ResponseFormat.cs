using System.Text.Json.Serialization.Metadata;

namespace AotGateway;

// The response-format helpers belong to the chat layer: the JSON layer below knows nothing of chat requests.
public static partial class GatewayJson
{
    /// <summary>A strict <c>json_schema</c> response format for <typeparamref name="T"/>.</summary>
    public static ChatResponseFormat ResponseFormat<T>() where T : IGatewayJson<T> =>
        ChatResponseFormat.JsonSchema(T.JsonSchemaName, T.JsonSchema.ToArray(), strict: true);

    /// <summary>
    /// The strict <c>json_schema</c> response format for a type System.Text.Json already knows (from a
    /// <c>JsonSerializerContext</c>), built from its metadata without reflection: every property required, no others.
    /// Built once per <paramref name="typeInfo"/>.
    /// </summary>
    /// <exception cref="System.ArgumentException">The type is not an object (structured outputs need one at the root).</exception>
    public static ChatResponseFormat ResponseFormat<T>(JsonTypeInfo<T> typeInfo) =>
        StrictSchemaFromJsonTypeInfo.ResponseFormat(typeInfo);
}
