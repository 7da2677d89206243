using System.Text;
using System.Text.Json;

namespace AotGateway.Extensions.Mcp;

/// <summary>An MCP tool's input schema as the bytes a function definition carries.</summary>
internal static class McpInputSchema
{
    private static readonly byte[] s_empty = Encoding.UTF8.GetBytes("{\"type\":\"object\",\"properties\":{}}");

    /// <summary>The server's schema text as it is; an empty object schema when the server gave none.</summary>
    public static byte[] Normalize(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object ? Encoding.UTF8.GetBytes(schema.GetRawText()) : s_empty;
}
