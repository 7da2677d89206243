using System;
using System.Collections.Generic;
using System.Text.Json;

namespace AotGateway.Extensions.Mcp;

/// <summary>
/// Whether a JSON Schema already meets OpenAI's rules for <c>strict: true</c> (structured outputs' subset): an
/// object at the root, every object closed (<c>additionalProperties: false</c>) with every property required, only
/// the keywords that subset supports, at most ten levels deep. Conservative: a schema it is unsure of is sent
/// without <c>strict</c>, as the server gave it, rather than made strict and refused by the gateway.
/// </summary>
internal static class StrictSchemaRules
{
    private const int MaxDepth = 10;

    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf", "description",
        "title", "$ref", "$defs", "definitions", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "default",
    };

    public static bool Qualifies(ReadOnlySpan<byte> schema)
    {
        try
        {
            var reader = new Utf8JsonReader(schema);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("object")
                && IsStrict(root, 0);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsStrict(JsonElement schema, int depth)
    {
        if (depth > MaxDepth || schema.ValueKind != JsonValueKind.Object)
            return false;
        bool isObject = false;
        JsonElement properties = default;
        JsonElement required = default;
        bool closed = false;
        foreach (JsonProperty keyword in schema.EnumerateObject())
        {
            if (!s_keywords.Contains(keyword.Name))
                return false;
            JsonElement value = keyword.Value;
            switch (keyword.Name)
            {
                case "type":
                    isObject |= TypeIncludesObject(value);
                    break;
                case "properties":
                    properties = value;
                    break;
                case "required":
                    required = value;
                    break;
                case "additionalProperties":
                    closed = value.ValueKind == JsonValueKind.False;
                    if (!closed)
                        return false;
                    break;
                case "items":
                    if (!IsStrict(value, depth + 1))
                        return false;
                    break;
                case "anyOf":
                    if (value.ValueKind != JsonValueKind.Array)
                        return false;
                    foreach (JsonElement branch in value.EnumerateArray())
                    {
                        if (!IsStrict(branch, depth + 1))
                            return false;
                    }
                    break;
                case "$defs" or "definitions":
                    if (value.ValueKind != JsonValueKind.Object)
                        return false;
                    foreach (JsonProperty definition in value.EnumerateObject())
                    {
                        if (!IsStrict(definition.Value, depth + 1))
                            return false;
                    }
                    break;
            }
        }
        if (!isObject && properties.ValueKind == JsonValueKind.Undefined)
            return true;
        // An object: closed, and every property both described strictly and required.
        if (!closed || properties.ValueKind != JsonValueKind.Object)
            return false;
        var requiredNames = new HashSet<string>(StringComparer.Ordinal);
        if (required.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement name in required.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String)
                    requiredNames.Add(name.GetString()!);
            }
        }
        foreach (JsonProperty property in properties.EnumerateObject())
        {
            if (!requiredNames.Remove(property.Name) || !IsStrict(property.Value, depth + 1))
                return false;
        }
        return requiredNames.Count == 0;
    }

    private static bool TypeIncludesObject(JsonElement type)
    {
        if (type.ValueKind == JsonValueKind.String)
            return type.ValueEquals("object");
        if (type.ValueKind != JsonValueKind.Array)
            return false;
        foreach (JsonElement item in type.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.ValueEquals("object"))
                return true;
        }
        return false;
    }
}
