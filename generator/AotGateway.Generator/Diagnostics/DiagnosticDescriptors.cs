using Microsoft.CodeAnalysis;

namespace AotGateway.Generator.Diagnostics;

/// <summary>Every diagnostic the generator reports, in one place. Each message says how to fix the problem.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "AotGateway.Generator";

    public static readonly DiagnosticDescriptor TypeNotPartial = new(
        "AGW0001", "Type must be partial",
        "The type '{0}' is marked [GatewayJson] but is not partial: add the 'partial' modifier so the generator can add its JSON code",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedMemberType = new(
        "AGW0002", "Member type not supported",
        "The member '{0}' of '{1}' has type '{2}', which [GatewayJson] does not support: use string, bool, a number, a date or time, Guid, Uri, an enum, an array, a list, a string-keyed dictionary or a type marked [GatewayJson], or mark the member [JsonIgnore]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateJsonName = new(
        "AGW0003", "Duplicate JSON name",
        "The JSON name '{0}' is used by both '{1}' and '{2}' of '{3}': give one of them a different [JsonPropertyName]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = new(
        "AGW0004", "Containing type must be partial",
        "The type '{0}' is nested in '{1}', which is not partial: add the 'partial' modifier to every type that contains it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericType = new(
        "AGW0005", "Generic types are not supported",
        "The type '{0}' is generic, and [GatewayJson] types cannot be: use a non-generic type (a schema describes one concrete shape)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoUsableConstructor = new(
        "AGW0006", "No constructor the reader can call",
        "The type '{0}' has no constructor the generated reader can call: add an accessible parameterless constructor, or one whose parameters match its properties by name and type",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MemberCannotBeRead = new(
        "AGW0007", "Member cannot be read back",
        "The property '{0}' of '{1}' has no setter, init accessor or matching constructor parameter, so it could be written but never read: add 'init', a constructor parameter, or [JsonIgnore]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidSchemaName = new(
        "AGW0008", "Invalid schema name",
        "The schema name '{0}' of '{1}' is not valid: use 1 to 64 letters, digits, '_' or '-'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor AbstractType = new(
        "AGW0009", "Abstract types are not supported",
        "The type '{0}' is abstract or an interface, so the generated reader cannot create it: mark a concrete type instead",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ToolMethodNotStatic = new(
        "AGW0010", "Tool method must be static",
        "The method '{0}' is marked [GatewayTool] but is not static: make it static (a tool set has no instance to call it on)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ToolClassNotPartial = new(
        "AGW0011", "Tool class must be partial",
        "The class '{0}' holds [GatewayTool] methods but is not partial: add the 'partial' modifier so the generator can add the tool set",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ToolMethodGeneric = new(
        "AGW0012", "Tool method cannot be generic",
        "The method '{0}' is generic or in a generic class, and a tool cannot be: a tool's schema describes one concrete set of parameters",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ToolParameterByReference = new(
        "AGW0013", "Tool parameter cannot be ref, out, in or params",
        "The parameter '{0}' of tool '{1}' is passed as '{2}', which a tool cannot be: take it by value (the model only supplies values)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ToolParameterUnsupported = new(
        "AGW0014", "Tool parameter type not supported",
        "The parameter '{0}' of tool '{1}' has type '{2}', which tools do not support: use string, bool, a number, a date or time, Guid, Uri, an enum, an array, a list, a string-keyed dictionary or a type marked [GatewayJson]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ToolReturnUnsupported = new(
        "AGW0015", "Tool return type not supported",
        "The tool '{0}' returns '{1}', which tools do not support: return void, Task, ValueTask, or a supported type (string, a number, a [GatewayJson] type, a list...) directly or in Task<T>/ValueTask<T>",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ToolNameInvalid = new(
        "AGW0016", "Invalid tool name",
        "The tool name '{0}' of '{1}' is not valid: use 1 to 64 letters, digits, '_' or '-'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ToolNameDuplicate = new(
        "AGW0017", "Duplicate tool name",
        "The tool name '{0}' is used by both '{1}' and '{2}' in '{3}': give one of them a different [GatewayTool(Name = ...)]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
