using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace AotGateway.Tests.Support;

/// <summary>
/// Checks a JSON value against a schema of the OpenAPI contract (Fixtures/openapi): every property the value
/// has must be declared (following $ref, allOf, anyOf and oneOf) with a compatible JSON type and enum.
/// This is what "every field the client writes exists in the contract with the same type" means.
/// </summary>
internal static class OpenApiContract
{
    private static readonly Lazy<JsonDocument> s_document = new(() => JsonDocument.Parse(File.ReadAllBytes(Fixtures.OpenApiSchemas)));

    public static List<string> Check(JsonElement value, string schemaName)
    {
        var problems = new List<string>();
        Check(value, Schema(schemaName), "$", problems, 0);
        return problems;
    }

    private static JsonElement Schema(string name) =>
        s_document.Value.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out JsonElement reference))
            schema = Schema(reference.GetString()!.Split('/')[^1]);
        return schema;
    }

    private static void Check(JsonElement value, JsonElement schema, string path, List<string> problems, int depth)
    {
        schema = Resolve(schema);
        if (depth > 40 || schema.ValueKind != JsonValueKind.Object)
            return;

        foreach (string union in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(union, out JsonElement options))
            {
                var best = new List<string>();
                bool matched = false;
                foreach (JsonElement option in options.EnumerateArray())
                {
                    var attempt = new List<string>();
                    Check(value, option, path, attempt, depth + 1);
                    if (attempt.Count == 0)
                    {
                        matched = true;
                        break;
                    }
                    if (best.Count == 0 || attempt.Count < best.Count)
                        best = attempt;
                }
                if (!matched)
                    problems.AddRange(best.Count > 0 ? best : [$"{path}: matches no {union} branch"]);
                return;
            }
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            bool nullable = schema.TryGetProperty("nullable", out JsonElement n) && n.GetBoolean();
            if (!nullable && TypesOf(schema).Count > 0 && !TypesOf(schema).Contains("null"))
                problems.Add($"{path}: null is not allowed");
            return;
        }

        HashSet<string> types = TypesOf(schema);
        if (types.Count > 0 && !types.Contains(KindOf(value)) && !(KindOf(value) == "integer" && types.Contains("number")))
        {
            problems.Add($"{path}: {KindOf(value)} where the contract says {string.Join("|", types)}");
            return;
        }
        if (schema.TryGetProperty("enum", out JsonElement allowed) && value.ValueKind == JsonValueKind.String
            && !allowed.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == value.GetString()))
        {
            problems.Add($"{path}: '{value.GetString()}' is not one of the contract's values");
            return;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            Dictionary<string, JsonElement> properties = PropertiesOf(schema);
            bool open = schema.TryGetProperty("additionalProperties", out JsonElement additional) && additional.ValueKind != JsonValueKind.False;
            foreach (JsonProperty property in value.EnumerateObject())
            {
                if (properties.TryGetValue(property.Name, out JsonElement propertySchema))
                    Check(property.Value, propertySchema, path + "." + property.Name, problems, depth + 1);
                else if (!open)
                    problems.Add($"{path}.{property.Name}: not in the contract");
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out JsonElement items))
        {
            int i = 0;
            foreach (JsonElement item in value.EnumerateArray())
                Check(item, items, $"{path}[{i++}]", problems, depth + 1);
        }
    }

    private static Dictionary<string, JsonElement> PropertiesOf(JsonElement schema)
    {
        var all = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        schema = Resolve(schema);
        if (schema.TryGetProperty("properties", out JsonElement properties))
        {
            foreach (JsonProperty property in properties.EnumerateObject())
                all[property.Name] = property.Value;
        }
        if (schema.TryGetProperty("allOf", out JsonElement parts))
        {
            foreach (JsonElement part in parts.EnumerateArray())
            {
                foreach (KeyValuePair<string, JsonElement> pair in PropertiesOf(part))
                    all[pair.Key] = pair.Value;
            }
        }
        return all;
    }

    private static HashSet<string> TypesOf(JsonElement schema)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("type", out JsonElement type))
        {
            if (type.ValueKind == JsonValueKind.String)
                types.Add(type.GetString()!);
            else if (type.ValueKind == JsonValueKind.Array)
                foreach (JsonElement t in type.EnumerateArray())
                    types.Add(t.GetString()!);
        }
        else if (schema.TryGetProperty("allOf", out _) || schema.TryGetProperty("properties", out _))
        {
            types.Add("object");
        }
        return types;
    }

    private static string KindOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
