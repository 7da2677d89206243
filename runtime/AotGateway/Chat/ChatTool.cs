using System;
using System.Text;

namespace AotGateway;

/// <summary>A function the model may call, described by a JSON Schema for its arguments.</summary>
public sealed class ChatTool
{
    private ChatTool(string name, string? description, ReadOnlyMemory<byte> parametersSchema, bool? strict)
    {
        Name = name;
        Description = description;
        ParametersSchema = parametersSchema;
        Strict = strict;
    }

    /// <summary>The function name (letters, digits, <c>_</c> and <c>-</c>, at most 64).</summary>
    public string Name { get; }

    /// <summary>What the function does, for the model.</summary>
    public string? Description { get; }

    /// <summary>The JSON Schema of the arguments object, as UTF-8 JSON; empty for a function without parameters.</summary>
    public ReadOnlyMemory<byte> ParametersSchema { get; }

    /// <summary>Whether the model must follow the schema exactly (<c>strict</c>), when set.</summary>
    public bool? Strict { get; }

    /// <summary>Describes a function whose arguments follow <paramref name="parametersSchema"/> (UTF-8 JSON).</summary>
    public static ChatTool Function(string name, string? description, ReadOnlyMemory<byte> parametersSchema, bool? strict = null)
    {
        ToolNames.ThrowIfInvalid(name);
        return new ChatTool(name, description, parametersSchema, strict);
    }

    /// <summary>Describes a function whose arguments follow <paramref name="parametersSchemaJson"/>.</summary>
    public static ChatTool Function(string name, string? description, string? parametersSchemaJson, bool? strict = null) =>
        Function(name, description, parametersSchemaJson is null ? default : Encoding.UTF8.GetBytes(parametersSchemaJson), strict);
}
