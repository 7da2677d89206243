using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>Emitted schemas follow the strict structured-output rules, and read as expected documents.</summary>
[Trait("Category", "Core")]
public class SchemaTests
{
    private static JsonDocument SchemaOf<T>() where T : IGatewayJson<T> => JsonDocument.Parse(GatewayJson.Schema<T>().ToArray());

    /// <summary>Strict mode: objects list every property as required and forbid others; only $ref/anyOf for composition; every $ref resolves.</summary>
    internal static List<string> StrictProblems(JsonElement root)
    {
        var problems = new List<string>();
        var defs = root.TryGetProperty("$defs", out JsonElement d) ? d.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
        void Walk(JsonElement node, string path)
        {
            if (node.ValueKind != JsonValueKind.Object)
                return;
            foreach (string forbidden in new[] { "allOf", "oneOf", "not", "if" })
            {
                if (node.TryGetProperty(forbidden, out _))
                    problems.Add($"{path}: uses {forbidden}");
            }
            if (node.TryGetProperty("$ref", out JsonElement reference))
            {
                string target = reference.GetString()!;
                if (target != "#" && !(target.StartsWith("#/$defs/") && defs.Contains(target["#/$defs/".Length..])))
                    problems.Add($"{path}: $ref {target} does not resolve");
            }
            bool isObject = node.TryGetProperty("type", out JsonElement type)
                && (type.ValueKind == JsonValueKind.String ? type.GetString() == "object" : type.EnumerateArray().Any(t => t.GetString() == "object"));
            if (isObject && node.TryGetProperty("properties", out JsonElement properties))
            {
                var names = properties.EnumerateObject().Select(p => p.Name).ToList();
                var required = node.TryGetProperty("required", out JsonElement r) ? r.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
                if (!names.SequenceEqual(required))
                    problems.Add($"{path}: required does not list every property");
                if (!node.TryGetProperty("additionalProperties", out JsonElement additional) || additional.ValueKind != JsonValueKind.False)
                    problems.Add($"{path}: additionalProperties is not false");
                foreach (JsonProperty p in properties.EnumerateObject())
                    Walk(p.Value, path + ".properties." + p.Name);
            }
            foreach (string child in new[] { "items", "additionalProperties" })
            {
                if (node.TryGetProperty(child, out JsonElement c) && c.ValueKind == JsonValueKind.Object)
                    Walk(c, path + "." + child);
            }
            if (node.TryGetProperty("anyOf", out JsonElement anyOf))
            {
                int i = 0;
                foreach (JsonElement option in anyOf.EnumerateArray())
                    Walk(option, $"{path}.anyOf[{i++}]");
            }
            if (node.TryGetProperty("$defs", out JsonElement nested))
            {
                foreach (JsonProperty def in nested.EnumerateObject())
                    Walk(def.Value, path + ".$defs." + def.Name);
            }
        }
        Walk(root, "$");
        return problems;
    }

    [Fact]
    public void Every_sample_schema_is_strict_mode_ready()
    {
        foreach (byte[] schema in new[] { GatewayJson.Schema<Person>().ToArray(), GatewayJson.Schema<TreeNode>().ToArray(), GatewayJson.Schema<Weather>().ToArray(), GatewayJson.Schema<Address>().ToArray() })
        {
            using JsonDocument doc = JsonDocument.Parse(schema);
            List<string> problems = StrictProblems(doc.RootElement);
            // Dictionaries are the one documented exception: their values are described by additionalProperties.
            problems.RemoveAll(p => p.Contains(".counts") || p.Contains(".places"));
            Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Encoding.UTF8.GetString(schema));
        }
    }

    [Fact]
    public void The_strict_check_can_fail()
    {
        using JsonDocument loose = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"},"b":{"$ref":"#/$defs/missing"}},"required":["a"],"allOf":[]}""");
        List<string> problems = StrictProblems(loose.RootElement);
        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("allOf"));
        Assert.Contains(problems, p => p.Contains("does not resolve"));
        Assert.Contains(problems, p => p.Contains("required"));
        Assert.Contains(problems, p => p.Contains("additionalProperties"));
    }

    [Fact]
    public void A_record_schema_reads_as_expected()
    {
        using JsonDocument schema = SchemaOf<Address>();
        using JsonDocument expected = JsonDocument.Parse("""
            {"type":"object","description":"A postal address.",
             "properties":{
               "street":{"type":"string","description":"Street and number."},
               "city":{"type":"string","description":"City name."},
               "postCode":{"type":["string","null"],"description":"Postal code, when known."}},
             "required":["street","city","postCode"],"additionalProperties":false}
            """);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, schema.RootElement), schema.RootElement.GetRawText());
    }

    [Fact]
    public void Nested_and_recursive_types_use_defs_and_refs()
    {
        using JsonDocument tree = SchemaOf<TreeNode>();
        JsonElement props = tree.RootElement.GetProperty("properties");
        Assert.Equal("#", props.GetProperty("Children").GetProperty("items").GetProperty("$ref").GetString());
        Assert.Equal("""[{"$ref":"#"},{"type":"null"}]""", props.GetProperty("Parent").GetProperty("anyOf").GetRawText());

        using JsonDocument weather = SchemaOf<Weather>();
        Assert.Equal("#/$defs/Point", weather.RootElement.GetProperty("properties").GetProperty("Location").GetProperty("$ref").GetString());
        Assert.Equal("number", weather.RootElement.GetProperty("$defs").GetProperty("Point").GetProperty("properties").GetProperty("X").GetProperty("type").GetString());
        Assert.Equal("weather_report", new Weather("c", 1, new Point(0, 0)).SchemaNameOf());
    }

    [Fact]
    public void Formats_enums_and_descriptions_are_emitted()
    {
        using JsonDocument person = SchemaOf<Person>();
        JsonElement props = person.RootElement.GetProperty("properties");
        Assert.Equal("date-time", props.GetProperty("born_at").GetProperty("format").GetString());
        Assert.Equal("date-time", props.GetProperty("seen_at").GetProperty("format").GetString());
        Assert.Equal("date", props.GetProperty("birthday").GetProperty("format").GetString());
        Assert.Equal("time", props.GetProperty("wakes_at").GetProperty("format").GetString());
        Assert.Equal("uuid", props.GetProperty("id").GetProperty("format").GetString());
        // OpenAI's strict mode accepts date-time, time, date, duration, email, hostname, ipv4, ipv6 and uuid: no uri.
        Assert.False(props.GetProperty("homepage").TryGetProperty("format", out _));
        Assert.Equal("""["Calm","very-happy","Grumpy"]""", props.GetProperty("mood").GetProperty("enum").GetRawText());
        Assert.Equal("""["Calm","very-happy","Grumpy",null]""", props.GetProperty("last_mood").GetProperty("enum").GetRawText());
        Assert.Equal("""["integer","null"]""", props.GetProperty("rank").GetProperty("type").GetRawText());
        Assert.Equal("Full name as written.", props.GetProperty("full_name").GetProperty("description").GetString());
        Assert.Equal("Age in whole years.", props.GetProperty("age").GetProperty("description").GetString());
        Assert.Equal("A person with every kind of member the generator supports.", person.RootElement.GetProperty("description").GetString());
        Assert.False(props.TryGetProperty("secret", out _));
    }
}

internal static class SchemaNames
{
    public static string SchemaNameOf<T>(this T _) where T : IGatewayJson<T> => T.JsonSchemaName;
}
