using System;
using System.Text.Json;

namespace AotGateway.Testing;

/// <summary>
/// Writes a JSON value valid against a JSON Schema: the subset strict structured outputs and tool parameters use
/// (type, properties, required, items, enum, const, anyOf, nullable type unions, $ref into $defs, format).
/// Deterministic, so tests can predict it.
/// </summary>
internal static class SchemaSampler
{
    private const int MaxDepth = 16;

    /// <summary>Writes a value the schema accepts; <paramref name="hints"/> fill the top-level arguments the prompt names.</summary>
    public static void Write(Utf8JsonWriter w, JsonElement schema, PromptHints? hints = null) => Write(w, schema, schema, 0, hints);

    private static void Write(Utf8JsonWriter w, JsonElement schema, JsonElement root, int depth, PromptHints? hints = null)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            w.WriteStartObject();
            w.WriteEndObject();
            return;
        }
        if (schema.TryGetProperty("$ref", out JsonElement reference) && reference.GetString() is { } path)
        {
            // Recursive schemas stop at null (allowed by nullable unions) or an empty object once deep enough.
            if (depth >= MaxDepth || !TryResolve(root, path, out JsonElement target))
            {
                w.WriteNullValue();
                return;
            }
            Write(w, target, root, depth + 1);
            return;
        }
        if (schema.TryGetProperty("const", out JsonElement constant))
        {
            constant.WriteTo(w);
            return;
        }
        if (schema.TryGetProperty("enum", out JsonElement values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(w);
            return;
        }
        foreach (string union in (ReadOnlySpan<string>)["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(union, out JsonElement options) && options.ValueKind == JsonValueKind.Array && options.GetArrayLength() > 0)
            {
                // Prefer a non-null branch so samples carry data.
                foreach (JsonElement option in options.EnumerateArray())
                {
                    if (!(option.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String && t.ValueEquals("null")))
                    {
                        Write(w, option, root, depth + 1);
                        return;
                    }
                }
                w.WriteNullValue();
                return;
            }
        }

        string type = PickType(schema, depth);
        switch (type)
        {
            case "object":
                w.WriteStartObject();
                if (schema.TryGetProperty("properties", out JsonElement properties) && properties.ValueKind == JsonValueKind.Object)
                {
                    foreach (JsonProperty property in properties.EnumerateObject())
                    {
                        w.WritePropertyName(property.Name);
                        if (depth == 0 && hints is not null && TryWriteHint(w, property.Value, hints))
                            continue;
                        Write(w, property.Value, root, depth + 1);
                    }
                }
                w.WriteEndObject();
                break;
            case "array":
                w.WriteStartArray();
                if (depth < MaxDepth && schema.TryGetProperty("items", out JsonElement items))
                    Write(w, items, root, depth + 1);
                w.WriteEndArray();
                break;
            case "string":
                w.WriteStringValue(SampleString(schema));
                break;
            case "integer":
                w.WriteNumberValue(Minimum(schema) is { } min && min > 1 ? Math.Ceiling(min) : 1);
                break;
            case "number":
                w.WriteNumberValue(Minimum(schema) is { } nmin && nmin > 1.5 ? nmin : 1.5);
                break;
            case "boolean":
                w.WriteBooleanValue(true);
                break;
            default:
                w.WriteNullValue();
                break;
        }
    }

    /// <summary>A number the prompt names for a numeric argument, or an enum value it names; false leaves the sample.</summary>
    private static bool TryWriteHint(Utf8JsonWriter w, JsonElement property, PromptHints hints)
    {
        if (property.ValueKind != JsonValueKind.Object)
            return false;
        if (property.TryGetProperty("enum", out JsonElement values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement value in values.EnumerateArray())
            {
                if (value.ValueKind == JsonValueKind.String && hints.Words.Contains(value.GetString()!.ToLowerInvariant()))
                {
                    value.WriteTo(w);
                    return true;
                }
            }
            return false;
        }
        if (PromptReading.IsNumeric(property) && hints.TryTakeNumber(out decimal number))
        {
            bool integerOnly = property.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("integer");
            if (integerOnly && decimal.Truncate(number) != number)
                return false;
            w.WriteNumberValue(number);
            return true;
        }
        return false;
    }

    private static string PickType(JsonElement schema, int depth)
    {
        if (!schema.TryGetProperty("type", out JsonElement type))
            return schema.TryGetProperty("properties", out _) ? "object" : "string";
        if (type.ValueKind == JsonValueKind.String)
            return type.GetString() ?? "null";
        if (type.ValueKind == JsonValueKind.Array)
        {
            // ["T","null"]: produce T, except deep in a recursive structure where null ends the recursion.
            string? first = null;
            foreach (JsonElement t in type.EnumerateArray())
            {
                string? name = t.GetString();
                if (name == "null")
                {
                    if (depth >= MaxDepth / 2)
                        return "null";
                    continue;
                }
                first ??= name;
            }
            return first ?? "null";
        }
        return "null";
    }

    private static double? Minimum(JsonElement schema) =>
        schema.TryGetProperty("minimum", out JsonElement min) && min.ValueKind == JsonValueKind.Number ? min.GetDouble() : null;

    private static string SampleString(JsonElement schema)
    {
        if (schema.TryGetProperty("format", out JsonElement format) && format.GetString() is { } f)
        {
            switch (f)
            {
                case "date-time": return "2026-01-02T03:04:05Z";
                case "date": return "2026-01-02";
                case "time": return "03:04:05";
                case "uuid": return "00000000-0000-4000-8000-000000000001";
                case "uri": return "https://example.com/";
                case "email": return "someone@example.com";
                case "duration": return "PT1S";
            }
        }
        return "sample";
    }

    private static bool TryResolve(JsonElement root, string path, out JsonElement target)
    {
        target = root;
        if (!path.StartsWith('#'))
            return false;
        foreach (string segment in path.Substring(1).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(name, out target))
                return false;
        }
        return true;
    }
}
