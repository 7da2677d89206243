namespace AotGateway.Generator.Model;

/// <summary>How a tool method gives its result.</summary>
internal enum ToolReturnKind
{
    Void,
    Value,
    Task,
    TaskOfValue,
    ValueTask,
    ValueTaskOfValue,
}

/// <summary>One parameter of a tool method.</summary>
/// <param name="Name">The C# parameter name (and the JSON name).</param>
/// <param name="ArgumentMember">The argument record's member that carries it; null for the CancellationToken.</param>
/// <param name="DefaultExpression">A C# expression for the default of an optional parameter, applied when the model leaves it out.</param>
internal sealed record ToolParameterModel(string Name, string? ArgumentMember, string? DefaultExpression);

/// <summary>One tool: the method it calls, its name and description, and its argument record as a JSON type. No locations: they live in diagnostics only, so an edit that moves code leaves the model equal.</summary>
internal sealed record ToolMethodModel(
    string MethodName,
    string Accessibility,
    string ToolName,
    string? Description,
    EquatableArray<ToolParameterModel> Parameters,
    ToolReturnKind ReturnKind,
    TypeShape? Result,
    JsonTypeModel Arguments);

/// <summary>The class that holds tool methods, as the emitter needs it.</summary>
internal sealed record ToolClassModel(
    string? Namespace,
    string Name,
    string FullyQualifiedName,
    bool IsStatic,
    EquatableArray<ContainingType> ContainingTypes);

/// <summary>What parsing one tool method produced: its class, the tool when it can be generated, and diagnostics.</summary>
internal sealed record ToolParseResult(ToolClassModel Class, ToolMethodModel? Tool, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A class's tools, ready to emit: one incremental output per class, cached while it stays equal.</summary>
internal sealed record ToolSetModel(ToolClassModel Class, EquatableArray<ToolMethodModel> Tools);
