using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using AotGateway.Generator.Diagnostics;
using AotGateway.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AotGateway.Generator.Parsing;

/// <summary>
/// Reads a [GatewayTool] method into a <see cref="ToolMethodModel"/>: its parameters become an argument record,
/// described as a <see cref="JsonTypeModel"/> so the JSON emitter writes its reader and schema like any other type.
/// </summary>
internal static class ToolParser
{
    public const string AttributeName = "AotGateway.GatewayToolAttribute";

    public static ToolParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        KnownSymbols known = KnownSymbols.Shared;
        INamedTypeSymbol owner = method.ContainingType;
        var diagnostics = new List<DiagnosticInfo>();
        Location location = method.Locations.FirstOrDefault() ?? Location.None;
        string display = method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

        ToolClassModel toolClass = ClassModel(owner);
        CheckClass(owner, diagnostics, cancellationToken);
        if (!method.IsStatic)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ToolMethodNotStatic, location, display));
        if (method.IsGenericMethod || owner.IsGenericType)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ToolMethodGeneric, location, display));

        (string? name, string? description) = ReadAttribute(method, known);
        string toolName = ToolNameOf(method, name);
        if (!JsonTypeParser.IsValidSchemaName(toolName))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ToolNameInvalid, location, toolName, display));
        // A clash is reported on the later method, here, so grouping by class needs no locations.
        if (EarlierToolNamed(owner, method, toolName, known) is { } earlier)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ToolNameDuplicate, location, toolName, earlier.Name, method.Name, owner.Name));
        description ??= DocComments.DescriptionOf(method, known);

        var shapes = new JsonTypeParser.ShapeContext(owner, known);
        var parameters = new List<ToolParameterModel>();
        var members = new List<JsonMemberModel>();
        var properties = new List<SchemaProperty>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Location at = parameter.Locations.FirstOrDefault() ?? location;
            if (parameter.RefKind != RefKind.None || parameter.IsParams)
            {
                string how = parameter.IsParams ? "params" : parameter.RefKind.ToString().ToLowerInvariant();
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ToolParameterByReference, at, parameter.Name, toolName, how));
                continue;
            }
            if (KnownSymbols.Is(parameter.Type, known.CancellationToken))
            {
                parameters.Add(new ToolParameterModel(parameter.Name, null, null));
                continue;
            }
            TypeShape? shape = shapes.Resolve(parameter.Type);
            if (shape is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ToolParameterUnsupported, at, parameter.Name, toolName, parameter.Type.ToDisplayString()));
                continue;
            }
            string? defaultExpression = null;
            if (parameter.HasExplicitDefaultValue)
            {
                // Optional: nullable in the record and the schema (strict mode lists every property), default applied when absent.
                defaultExpression = DefaultValues.Expression(parameter);
                if (!shape.IsNullable)
                    shape = shape with { IsNullable = true, TypeName = shape.TypeName + "?" };
            }
            string member = MemberName(parameter.Name);
            string? parameterDescription = DocComments.DescriptionOfParameter(parameter, known);
            parameters.Add(new ToolParameterModel(parameter.Name, member, defaultExpression));
            members.Add(new JsonMemberModel(member, parameter.Name, shape, !shape.IsNullable, MemberAssignment.ConstructorParameter, parameterDescription));
            properties.Add(new SchemaProperty(parameter.Name, shape, parameterDescription));
        }

        (ToolReturnKind returnKind, ITypeSymbol? resultType) = ReturnOf(method.ReturnType, known);
        TypeShape? result = null;
        if (resultType is not null && (result = shapes.Resolve(resultType)) is null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ToolReturnUnsupported, location, toolName, method.ReturnType.ToDisplayString()));

        if (diagnostics.Count > 0)
            return new ToolParseResult(toolClass, null, diagnostics.ToEquatableArray());

        var containing = new List<ContainingType>(toolClass.ContainingTypes) { new("class", owner.Name) };
        string argumentsName = method.Name + "Arguments";
        var arguments = new JsonTypeModel(
            toolClass.Namespace,
            argumentsName,
            toolClass.FullyQualifiedName + "." + argumentsName,
            "record",
            containing.ToEquatableArray(),
            members.ToEquatableArray(),
            members.Select(m => m.ClrName).ToEquatableArray(),
            toolName,
            new SchemaDef(argumentsName, null, properties.ToEquatableArray()),
            shapes.CollectDefinitions(cancellationToken).ToEquatableArray(),
            // Its calls run whole; each argument record's builder was a third of what a tool class generated.
            HasPartialBuilder: false);
        // The generated record and tool are as visible as the method, at least internal (so callers can match calls).
        string accessibility = method.DeclaredAccessibility == Accessibility.Public ? "public" : "internal";
        var tool = new ToolMethodModel(method.Name, accessibility, toolName, description, parameters.ToEquatableArray(), returnKind, result, arguments);
        return new ToolParseResult(toolClass, tool, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static ToolClassModel ClassModel(INamedTypeSymbol owner)
    {
        List<ContainingType> containing = ContainingTypes.Of(owner);
        return new ToolClassModel(
            owner.ContainingNamespace.IsGlobalNamespace ? null : owner.ContainingNamespace.ToDisplayString(),
            owner.Name,
            owner.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            owner.IsStatic,
            containing.ToEquatableArray());
    }

    private static void CheckClass(INamedTypeSymbol owner, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in owner.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ToolClassNotPartial, declaration.Identifier.GetLocation(), owner.ToDisplayString()));
                return;
            }
        }
        ContainingTypes.ReportNotPartial(owner, owner.Locations.FirstOrDefault() ?? Location.None, diagnostics, cancellationToken);
    }

    /// <summary>"EchoAsync" is the tool "echo": the suffix is a C# convention, not part of what the tool does.</summary>
    private static string ToolNameOf(IMethodSymbol method, string? explicitName)
    {
        string baseName = method.Name.Length > 5 && method.Name.EndsWith("Async") ? method.Name.Substring(0, method.Name.Length - 5) : method.Name;
        return explicitName ?? JsonNaming.ToSnakeCase(baseName);
    }

    /// <summary>A tool method declared before <paramref name="method"/> in the same class with the same tool name, if any.</summary>
    private static IMethodSymbol? EarlierToolNamed(INamedTypeSymbol owner, IMethodSymbol method, string toolName, KnownSymbols known)
    {
        foreach (ISymbol member in owner.GetMembers())
        {
            if (SymbolEqualityComparer.Default.Equals(member, method))
                return null;
            if (member is IMethodSymbol other && other.GetAttributes().Any(a => KnownSymbols.Is(a, known.GatewayToolAttribute))
                && ToolNameOf(other, ReadAttribute(other, known).Name) == toolName)
                return other;
        }
        return null;
    }

    private static (string? Name, string? Description) ReadAttribute(IMethodSymbol method, KnownSymbols known)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (!KnownSymbols.Is(attribute, known.GatewayToolAttribute))
                continue;
            string? name = null, description = null;
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == "Name" && argument.Value.Value is string n)
                    name = n;
                else if (argument.Key == "Description" && argument.Value.Value is string d)
                    description = d;
            }
            return (name, description);
        }
        return (null, null);
    }

    private static (ToolReturnKind Kind, ITypeSymbol? Result) ReturnOf(ITypeSymbol type, KnownSymbols known)
    {
        if (type.SpecialType == SpecialType.System_Void)
            return (ToolReturnKind.Void, null);
        if (KnownSymbols.Is(type, known.Task))
            return (ToolReturnKind.Task, null);
        if (KnownSymbols.Is(type, known.ValueTask))
            return (ToolReturnKind.ValueTask, null);
        if (type is INamedTypeSymbol { TypeArguments.Length: 1 } named)
        {
            if (KnownSymbols.Is(named, known.TaskOfT))
                return (ToolReturnKind.TaskOfValue, named.TypeArguments[0]);
            if (KnownSymbols.Is(named, known.ValueTaskOfT))
                return (ToolReturnKind.ValueTaskOfValue, named.TypeArguments[0]);
        }
        return (ToolReturnKind.Value, type);
    }

    /// <summary>The record member for a parameter: its name with a capital first letter, as C# properties are named.</summary>
    private static string MemberName(string parameter) =>
        char.ToUpperInvariant(parameter[0]) + parameter.Substring(1);
}
