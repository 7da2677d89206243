using System;
using System.Text;

namespace AotGateway;

/// <summary>The shape the reply must take (<c>response_format</c>): free text, any JSON object, or JSON valid against a schema.</summary>
public sealed class ChatResponseFormat
{
    private ChatResponseFormat(string type, string? name, string? description, ReadOnlyMemory<byte> schema, bool? strict)
    {
        Type = type;
        SchemaName = name;
        Description = description;
        Schema = schema;
        Strict = strict;
    }

    /// <summary>Free text (<c>text</c>).</summary>
    public static ChatResponseFormat Text { get; } = new("text", null, null, default, null);

    /// <summary>Any valid JSON object (<c>json_object</c>).</summary>
    public static ChatResponseFormat JsonObject { get; } = new("json_object", null, null, default, null);

    /// <summary>JSON valid against <paramref name="schema"/> (UTF-8 JSON Schema); strict by default.</summary>
    public static ChatResponseFormat JsonSchema(string name, ReadOnlyMemory<byte> schema, bool? strict = true, string? description = null)
    {
        ToolNames.ThrowIfInvalid(name);
        if (schema.IsEmpty)
            throw new ArgumentException("A json_schema response format needs a schema.", nameof(schema));
        return new("json_schema", name, description, schema, strict);
    }

    /// <summary>JSON valid against <paramref name="schemaJson"/>; strict by default.</summary>
    public static ChatResponseFormat JsonSchema(string name, string schemaJson, bool? strict = true, string? description = null) =>
        JsonSchema(name, Encoding.UTF8.GetBytes(schemaJson ?? throw new ArgumentNullException(nameof(schemaJson))), strict, description);

    /// <summary><c>text</c>, <c>json_object</c> or <c>json_schema</c>.</summary>
    public string Type { get; }

    /// <summary>The schema's name, for <c>json_schema</c>.</summary>
    public string? SchemaName { get; }

    /// <summary>The schema's description, for <c>json_schema</c>, when set.</summary>
    public string? Description { get; }

    /// <summary>The JSON Schema, as UTF-8 JSON, for <c>json_schema</c>.</summary>
    public ReadOnlyMemory<byte> Schema { get; }

    /// <summary>Whether the model must follow the schema exactly, when set.</summary>
    public bool? Strict { get; }
}
