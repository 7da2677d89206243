using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace AotGateway;

/// <summary>
/// A strict structured-output schema from System.Text.Json metadata, for types users already serialize with a
/// JsonSerializerContext: STJ's own exporter (reflection-free for a JsonTypeInfo) reads the contract, then the
/// schema is made strict the way the generator's are (every property required, no others, an object at the root,
/// references only to <c>#</c> or <c>#/$defs/...</c>). Built once per JsonTypeInfo.
/// </summary>
internal static class StrictSchemaFromJsonTypeInfo
{
    private static readonly ConditionalWeakTable<JsonTypeInfo, ChatResponseFormat> s_formats = new();

    private static readonly JsonSchemaExporterOptions s_exporterOptions = new() { TreatNullObliviousAsNonNullable = true };

    public static ChatResponseFormat ResponseFormat(JsonTypeInfo typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return s_formats.GetValue(typeInfo, static info => ChatResponseFormat.JsonSchema(NameOf(info), Build(info), strict: true));
    }

    /// <summary>The schema name: the type's name in the characters the API allows.</summary>
    public static string NameOf(JsonTypeInfo typeInfo)
    {
        var name = new StringBuilder();
        foreach (char c in typeInfo.Type.Name)
        {
            if (name.Length == 64)
                break;
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }
        return name.Length == 0 ? "response" : name.ToString();
    }

    private static byte[] Build(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
            throw new ArgumentException(
                $"Structured outputs need an object at the root; {typeInfo.Type.Name} is a {typeInfo.Kind}. Wrap it in a class or record with one property.", nameof(typeInfo));
        JsonNode schema = typeInfo.GetJsonSchemaAsNode(s_exporterOptions);
        if (schema is not JsonObject root)
            throw new ArgumentException($"System.Text.Json describes {typeInfo.Type.Name} with a schema that is not an object.", nameof(typeInfo));
        MoveReferencesToDefs(root);
        MakeStrict(root, isRoot: true);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>STJ points a recursive reference at where the type first appeared; strict mode wants <c>#/$defs/...</c>.</summary>
    private static void MoveReferencesToDefs(JsonObject root)
    {
        var pointers = new List<string>();
        CollectReferences(root, pointers);
        if (pointers.Count == 0)
            return;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var defs = new JsonObject();
        foreach (string pointer in pointers)
        {
            if (names.ContainsKey(pointer) || Resolve(root, pointer) is not JsonObject target)
                continue;
            string name = "d" + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            names[pointer] = name;
            defs[name] = target.DeepClone();
        }
        root["$defs"] = defs;
        RewriteReferences(root, names);
    }

    private static void CollectReferences(JsonNode? node, List<string> pointers)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (KeyValuePair<string, JsonNode?> member in o)
                {
                    if (member.Key == "$ref" && member.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    {
                        string pointer = member.Value.GetValue<string>();
                        if (pointer != "#" && !pointer.StartsWith("#/$defs/", StringComparison.Ordinal))
                            pointers.Add(pointer);
                    }
                    else
                    {
                        CollectReferences(member.Value, pointers);
                    }
                }
                break;
            case JsonArray a:
                foreach (JsonNode? item in a)
                    CollectReferences(item, pointers);
                break;
        }
    }

    private static void RewriteReferences(JsonNode? node, Dictionary<string, string> names)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["$ref"] is JsonValue reference && reference.TryGetValue(out string? pointer) && names.TryGetValue(pointer, out string? name))
                    o["$ref"] = "#/$defs/" + name;
                foreach (KeyValuePair<string, JsonNode?> member in o)
                {
                    if (member.Key != "$ref")
                        RewriteReferences(member.Value, names);
                }
                break;
            case JsonArray a:
                foreach (JsonNode? item in a)
                    RewriteReferences(item, names);
                break;
        }
    }

    /// <summary>A JSON pointer (<c>#/properties/next/items</c>) in the exported schema, or null.</summary>
    private static JsonNode? Resolve(JsonObject root, string pointer)
    {
        if (!pointer.StartsWith("#/", StringComparison.Ordinal))
            return null;
        JsonNode? node = root;
        foreach (string raw in pointer[2..].Split('/'))
        {
            string segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, out int i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (node is null)
                return null;
        }
        return node;
    }

    private static void MakeStrict(JsonNode? node, bool isRoot)
    {
        if (node is not JsonObject schema)
            return;
        // Strict mode knows no defaults; the model writes every property.
        schema.Remove("default");
        if (isRoot)
            schema["type"] = "object"; // STJ says ["object","null"] for a reference type; a reply is never null
        if (schema["properties"] is JsonObject properties)
        {
            var required = new JsonArray();
            foreach (KeyValuePair<string, JsonNode?> property in properties)
            {
                required.Add((JsonNode)property.Key);
                MakeStrict(property.Value, isRoot: false);
            }
            schema["required"] = required;
            schema["additionalProperties"] = false;
        }
        MakeStrict(schema["items"], isRoot: false);
        foreach (string union in (ReadOnlySpan<string>)["anyOf", "oneOf"])
        {
            if (schema[union] is JsonArray options)
            {
                foreach (JsonNode? option in options)
                    MakeStrict(option, isRoot: false);
            }
        }
        if (schema["$defs"] is JsonObject defs)
        {
            foreach (KeyValuePair<string, JsonNode?> def in defs)
                MakeStrict(def.Value, isRoot: false);
        }
    }
}
