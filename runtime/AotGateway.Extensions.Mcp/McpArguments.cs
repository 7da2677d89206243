using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;

namespace AotGateway.Extensions.Mcp;

/// <summary>Tool arguments between MCP's name → JSON value map and the JSON object text a tool set reads.</summary>
internal static class McpArguments
{
    /// <summary>The arguments as one JSON object (<c>{}</c> when there are none).</summary>
    public static string ToJson(IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null || arguments.Count == 0)
            return "{}";
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (KeyValuePair<string, JsonElement> argument in arguments)
            {
                writer.WritePropertyName(argument.Key);
                argument.Value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A model's arguments text as MCP's map.</summary>
    /// <exception cref="GatewayToolException">The text is not a JSON object.</exception>
    public static Dictionary<string, JsonElement> FromJson(string toolName, string arguments)
    {
        var map = new Dictionary<string, JsonElement>(System.StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(arguments))
            return map;
        try
        {
            using JsonDocument document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new GatewayToolException($"The arguments of '{toolName}' must be a JSON object, not {document.RootElement.ValueKind}.", toolName, GatewayToolFailure.InvalidArguments);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
                map[property.Name] = property.Value.Clone();
        }
        catch (JsonException ex)
        {
            throw new GatewayToolException($"The arguments of '{toolName}' are not valid JSON: {ex.Message}", toolName, GatewayToolFailure.InvalidArguments, ex);
        }
        return map;
    }
}
