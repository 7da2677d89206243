using System.Collections.Generic;
using System.Text;
using AotGateway.Generator.Model;

namespace AotGateway.Generator.Emitting;

/// <summary>
/// Writes a type's JSON Schema in the form strict structured outputs accept: every property required,
/// <c>additionalProperties: false</c>, optional values as <c>["T","null"]</c>, enums as <c>enum</c>,
/// nested and recursive types through <c>$defs</c>/<c>$ref</c>, formats for dates, times and UUIDs (only formats strict mode accepts: no <c>uri</c>).
/// </summary>
internal static class SchemaEmitter
{
    public static string Emit(JsonTypeModel model)
    {
        var json = new StringBuilder();
        WriteObject(json, model.Root, model.Definitions);
        return json.ToString();
    }

    private static void WriteObject(StringBuilder json, SchemaDef def, EquatableArray<SchemaDef> definitions)
    {
        json.Append("{\"type\":\"object\"");
        if (def.Description is { } description)
            json.Append(",\"description\":").Append(Literals.Json(description));
        json.Append(",\"properties\":{");
        bool first = true;
        foreach (SchemaProperty property in def.Properties)
        {
            if (!first)
                json.Append(',');
            first = false;
            json.Append(Literals.Json(property.JsonName)).Append(':');
            WriteShape(json, property.Shape, property.Description);
        }
        json.Append("},\"required\":[");
        first = true;
        foreach (SchemaProperty property in def.Properties)
        {
            if (!first)
                json.Append(',');
            first = false;
            json.Append(Literals.Json(property.JsonName));
        }
        json.Append("],\"additionalProperties\":false");
        if (definitions.Count > 0)
        {
            json.Append(",\"$defs\":{");
            first = true;
            foreach (SchemaDef nested in definitions)
            {
                if (!first)
                    json.Append(',');
                first = false;
                json.Append(Literals.Json(nested.DefName)).Append(':');
                WriteObject(json, nested, EquatableArray<SchemaDef>.Empty);
            }
            json.Append('}');
        }
        json.Append('}');
    }

    private static void WriteShape(StringBuilder json, TypeShape shape, string? description)
    {
        if (shape.Kind == ShapeKind.Object)
        {
            // Strict mode accepts $ref with sibling keywords (2020-12) and anyOf, not allOf.
            string target = Literals.Json(shape.DefName == "#" ? "#" : "#/$defs/" + shape.DefName);
            json.Append('{');
            if (shape.IsNullable)
                json.Append("\"anyOf\":[{\"$ref\":").Append(target).Append("},{\"type\":\"null\"}]");
            else
                json.Append("\"$ref\":").Append(target);
            if (description is not null)
                json.Append(",\"description\":").Append(Literals.Json(description));
            json.Append('}');
            return;
        }

        json.Append("{\"type\":");
        string type = JsonType(shape.Kind);
        json.Append(shape.IsNullable ? "[\"" + type + "\",\"null\"]" : "\"" + type + "\"");
        if (description is not null)
            json.Append(",\"description\":").Append(Literals.Json(description));
        if (Format(shape.Kind) is { } format)
            json.Append(",\"format\":\"").Append(format).Append('"');
        switch (shape.Kind)
        {
            case ShapeKind.Enum:
                json.Append(",\"enum\":[");
                var names = new List<string>();
                foreach (EnumMember member in shape.EnumMembers)
                    names.Add(Literals.Json(member.JsonName));
                if (shape.IsNullable)
                    names.Add("null");
                json.Append(string.Join(",", names)).Append(']');
                break;
            case ShapeKind.Array:
            case ShapeKind.List:
                json.Append(",\"items\":");
                WriteShape(json, shape.Element!, null);
                break;
            case ShapeKind.Dictionary:
                json.Append(",\"additionalProperties\":");
                WriteShape(json, shape.Element!, null);
                break;
        }
        json.Append('}');
    }

    private static string JsonType(ShapeKind kind) => kind switch
    {
        ShapeKind.Boolean => "boolean",
        ShapeKind.SByte or ShapeKind.Byte or ShapeKind.Int16 or ShapeKind.UInt16 or ShapeKind.Int32 or ShapeKind.UInt32 or ShapeKind.Int64 or ShapeKind.UInt64 => "integer",
        ShapeKind.Single or ShapeKind.Double or ShapeKind.Decimal => "number",
        ShapeKind.Array or ShapeKind.List => "array",
        ShapeKind.Dictionary => "object",
        _ => "string",
    };

    private static string? Format(ShapeKind kind) => kind switch
    {
        ShapeKind.DateTime or ShapeKind.DateTimeOffset => "date-time",
        ShapeKind.DateOnly => "date",
        ShapeKind.TimeOnly => "time",
        ShapeKind.Guid => "uuid",
        _ => null,
    };
}
