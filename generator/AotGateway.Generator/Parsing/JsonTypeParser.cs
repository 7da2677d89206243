using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AotGateway.Generator.Diagnostics;
using AotGateway.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AotGateway.Generator.Parsing;

/// <summary>
/// Reads a [GatewayJson] type's symbol into a <see cref="JsonTypeModel"/> and reports what cannot be generated.
/// The only stage that talks to the compiler.
/// </summary>
internal static class JsonTypeParser
{
    public const string AttributeName = "AotGateway.GatewayJsonAttribute";

    private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var syntax = (TypeDeclarationSyntax)context.TargetNode;
        KnownSymbols known = KnownSymbols.Shared;
        var diagnostics = new List<DiagnosticInfo>();
        Location location = syntax.Identifier.GetLocation();
        // The display name is for diagnostics only; most types have none, so it is made when one is reported.
        string? display = null;

        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, location, display ??= type.ToDisplayString()));
        ContainingTypes.ReportNotPartial(type, location, diagnostics, cancellationToken);
        if (type.IsGenericType)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericType, location, display ??= type.ToDisplayString()));
        if (type.IsAbstract)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AbstractType, location, display ??= type.ToDisplayString()));

        (int naming, string? schemaName) = ReadAttribute(type, known);
        schemaName ??= type.Name;
        if (!IsValidSchemaName(schemaName))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidSchemaName, location, schemaName, display ??= type.ToDisplayString()));

        var shapes = new ShapeContext(type, known);
        List<MemberCandidate> candidates = CollectMembers(type, naming, known);
        var members = new List<(MemberCandidate Candidate, TypeShape Shape)>();
        foreach (MemberCandidate candidate in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TypeShape? shape = shapes.Resolve(candidate.Type);
            if (shape is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMemberType,
                    LocationOf(candidate.Symbol, location), candidate.Symbol.Name, display ??= type.ToDisplayString(), candidate.Type.ToDisplayString()));
                continue;
            }
            members.Add((candidate, shape));
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((MemberCandidate candidate, _) in members)
        {
            if (seen.TryGetValue(candidate.JsonName, out string? first))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateJsonName,
                    LocationOf(candidate.Symbol, location), candidate.JsonName, first, candidate.Symbol.Name, display ??= type.ToDisplayString()));
            else
                seen[candidate.JsonName] = candidate.Symbol.Name;
        }

        IMethodSymbol? constructor = ChooseConstructor(type, candidates);
        if (constructor is null && !type.IsAbstract)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoUsableConstructor, location, display ??= type.ToDisplayString()));

        var memberModels = new List<JsonMemberModel>();
        var constructorArguments = new List<string>();
        var parameterDefaults = new Dictionary<string, string>(StringComparer.Ordinal);
        if (constructor is not null)
        {
            foreach (IParameterSymbol parameter in constructor.Parameters)
            {
                MemberCandidate? match = MatchOf(candidates, parameter);
                constructorArguments.Add(match is null ? "" : Identifiers.Escape(match.Symbol.Name));
                // record R(int? Retries = 3): a missing "retries" is 3, as System.Text.Json reads it.
                if (match is not null && parameter.HasExplicitDefaultValue)
                    parameterDefaults[match.Symbol.Name] = DefaultValues.Expression(parameter);
            }
        }
        foreach ((MemberCandidate candidate, TypeShape shape) in members)
        {
            MemberAssignment assignment;
            if (constructorArguments.Contains(Identifiers.Escape(candidate.Symbol.Name)))
                assignment = MemberAssignment.ConstructorParameter;
            else if (candidate.Setter is { IsInitOnly: true } || candidate.IsRequiredKeyword)
                assignment = MemberAssignment.Initializer;
            else if (candidate.Setter is not null)
                assignment = MemberAssignment.SetAfterConstruction;
            else
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberCannotBeRead,
                    LocationOf(candidate.Symbol, location), candidate.Symbol.Name, display ??= type.ToDisplayString()));
                continue;
            }
            string? defaultExpression = assignment == MemberAssignment.ConstructorParameter && parameterDefaults.TryGetValue(candidate.Symbol.Name, out string? d) ? d : null;
            memberModels.Add(new JsonMemberModel(Identifiers.Escape(candidate.Symbol.Name), candidate.JsonName, shape,
                IsRequired: !shape.IsNullable && defaultExpression is null, assignment, candidate.Description, defaultExpression));
        }

        if (diagnostics.Count > 0)
            return new ParseResult(null, diagnostics.ToEquatableArray());

        SchemaDef root = RootDef(type, memberModels, shapes);
        List<SchemaDef> definitions = shapes.CollectDefinitions(cancellationToken);
        List<ContainingType> containing = ContainingTypes.Of(type);

        var model = new JsonTypeModel(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            ContainingTypes.Keyword(type),
            containing.ToEquatableArray(),
            memberModels.ToEquatableArray(),
            constructorArguments.ToEquatableArray(),
            schemaName,
            root,
            definitions.ToEquatableArray());
        return new ParseResult(model, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static SchemaDef RootDef(INamedTypeSymbol type, List<JsonMemberModel> members, ShapeContext context)
    {
        var properties = new SchemaProperty[members.Count];
        for (int i = 0; i < properties.Length; i++)
            properties[i] = new SchemaProperty(members[i].JsonName, members[i].Shape, members[i].Description);
        return new SchemaDef(context.DefNameOf(type), DocComments.DescriptionOf(type, context.Known), new EquatableArray<SchemaProperty>(properties));
    }

    private static Location LocationOf(ISymbol symbol, Location fallback) =>
        symbol.Locations.Length > 0 ? symbol.Locations[0] : fallback;

    internal static bool IsValidSchemaName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-');

    internal static (int Naming, string? SchemaName) ReadAttribute(INamedTypeSymbol type, KnownSymbols known)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (!KnownSymbols.Is(attribute, known.GatewayJsonAttribute))
                continue;
            int naming = 0;
            string? schemaName = null;
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == "Naming" && argument.Value.Value is int n)
                    naming = n;
                else if (argument.Key == "SchemaName" && argument.Value.Value is string s)
                    schemaName = s;
            }
            return (naming, schemaName);
        }
        return (0, null);
    }

    internal static bool HasGatewayJsonAttribute(ITypeSymbol type, KnownSymbols known)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (KnownSymbols.Is(attribute, known.GatewayJsonAttribute))
                return true;
        }
        return false;
    }

    /// <summary>A public instance property that takes part in JSON (transient: holds symbols, never cached).</summary>
    internal sealed record MemberCandidate(IPropertySymbol Symbol, ITypeSymbol Type, string JsonName, IMethodSymbol? Setter, bool IsRequiredKeyword, string? Description);

    internal static List<MemberCandidate> CollectMembers(INamedTypeSymbol type, int naming, KnownSymbols known)
    {
        var result = new List<MemberCandidate>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        IMethodSymbol? positional = type.IsRecord ? PositionalConstructor(type) : null;
        // Own members first, then inherited ones, as System.Text.Json orders them; an override or a `new` member
        // hides the base one (its name is taken before the base type is reached).
        var chain = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? t = type; t is not null && t.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); t = t.BaseType)
            chain.Add(t);
        foreach (INamedTypeSymbol declaring in chain)
        {
            foreach (ISymbol member in declaring.GetMembers())
            {
                if (member is not IPropertySymbol property || property.IsStatic || property.IsIndexer
                    || property.DeclaredAccessibility != Accessibility.Public || property.GetMethod is null
                    || property.GetMethod.DeclaredAccessibility != Accessibility.Public || property.IsImplicitlyDeclared)
                    continue;
                if (IsIgnored(property, known) || !names.Add(property.Name))
                    continue;
                IParameterSymbol? parameter = positional is null ? null : ParameterNamed(positional, property.Name);
                string jsonName = JsonNameOf(property, parameter, known) ?? JsonNaming.Apply(naming, property.Name);
                IMethodSymbol? setter = property.SetMethod is { DeclaredAccessibility: Accessibility.Public } s ? s : null;
                result.Add(new MemberCandidate(property, property.Type, jsonName, setter, property.IsRequired, DocComments.DescriptionOf(property, known, parameter)));
            }
        }
        // Declaration order within each type is kept.
        return result;
    }

    /// <summary>The constructor a record's parameter list declares (its parameters carry the members' attributes and docs).</summary>
    private static IMethodSymbol? PositionalConstructor(INamedTypeSymbol record)
    {
        foreach (IMethodSymbol constructor in record.InstanceConstructors)
        {
            if (constructor.Parameters.Length == 0)
                continue;
            foreach (SyntaxReference reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is RecordDeclarationSyntax)
                    return constructor;
            }
        }
        return null;
    }

    private static IParameterSymbol? ParameterNamed(IMethodSymbol method, string name)
    {
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (parameter.Name == name)
                return parameter;
        }
        return null;
    }

    private static MemberCandidate? MatchOf(List<MemberCandidate> candidates, IParameterSymbol parameter)
    {
        foreach (MemberCandidate candidate in candidates)
        {
            if (MatchesParameter(candidate, parameter))
                return candidate;
        }
        return null;
    }

    private static bool IsIgnored(IPropertySymbol property, KnownSymbols known)
    {
        foreach (AttributeData attribute in property.GetAttributes())
        {
            if (!KnownSymbols.Is(attribute, known.JsonIgnoreAttribute))
                continue;
            // Only [JsonIgnore] / Condition = Always removes the member; the conditional forms still write it.
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == "Condition")
                    return argument.Value.Value is 1;
            }
            return true;
        }
        return false;
    }

    private static string? JsonNameOf(IPropertySymbol property, IParameterSymbol? parameter, KnownSymbols known)
    {
        return NameArgument(property.GetAttributes(), known) ?? (parameter is null ? null : NameArgument(parameter.GetAttributes(), known));
    }

    private static string? NameArgument(System.Collections.Immutable.ImmutableArray<AttributeData> attributes, KnownSymbols known)
    {
        foreach (AttributeData attribute in attributes)
        {
            if (KnownSymbols.Is(attribute, known.JsonPropertyNameAttribute)
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
                return name;
        }
        return null;
    }

    private static bool MatchesParameter(MemberCandidate candidate, IParameterSymbol parameter) =>
        string.Equals(candidate.Symbol.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)
        // The default comparer ignores nullable annotations: string? and string match.
        && SymbolEqualityComparer.Default.Equals(candidate.Type, parameter.Type);

    /// <summary>A parameterless constructor if there is one, else the widest whose parameters all match properties.</summary>
    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<MemberCandidate> candidates)
    {
        IMethodSymbol? best = null;
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
                continue;
            // A record's copy constructor is not for building from JSON.
            if (type.IsRecord && constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type))
                continue;
            if (!AllParametersMatch(constructor, candidates))
                continue;
            if (constructor.Parameters.Length == 0 && !type.IsValueType)
                return constructor;
            if (best is null || constructor.Parameters.Length > best.Parameters.Length)
                best = constructor;
        }
        return best;
    }

    private static bool AllParametersMatch(IMethodSymbol constructor, List<MemberCandidate> candidates)
    {
        foreach (IParameterSymbol parameter in constructor.Parameters)
        {
            if (MatchOf(candidates, parameter) is null)
                return false;
        }
        return true;
    }

    /// <summary>Maps member types to shapes and gathers the generated types they refer to.</summary>
    internal sealed class ShapeContext(INamedTypeSymbol root, KnownSymbols known)
    {
        public KnownSymbols Known => known;

        private readonly List<INamedTypeSymbol> _referenced = [];
        // Types and the names their definitions go by; a handful per type, so a list searched in turn.
        private readonly List<(INamedTypeSymbol Type, string Name)> _defNames = [];

        public string DefNameOf(INamedTypeSymbol type)
        {
            bool taken = false;
            foreach ((INamedTypeSymbol named, string name) in _defNames)
            {
                if (SymbolEqualityComparer.Default.Equals(named, type))
                    return name;
                taken |= name == type.Name;
            }
            // Two different types with one simple name: qualify the later one.
            string defName = taken
                ? type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "").Replace('.', '_')
                : type.Name;
            _defNames.Add((type, defName));
            return defName;
        }

        public TypeShape? Resolve(ITypeSymbol type)
        {
            bool nullable = type.NullableAnnotation != NullableAnnotation.NotAnnotated || type.IsValueType;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullableValue)
            {
                TypeShape? inner = Resolve(nullableValue.TypeArguments[0]);
                return inner is null ? null : inner with { IsNullable = true, TypeName = inner.TypeName + "?" };
            }
            string typeName = type.ToDisplayString(s_typeFormat);
            if (type.IsValueType)
                nullable = false;
            else if (type.NullableAnnotation == NullableAnnotation.None)
                nullable = true; // Nullable-oblivious code: a reference may be null.

            ShapeKind? primitive = type.SpecialType switch
            {
                SpecialType.System_String => ShapeKind.String,
                SpecialType.System_Boolean => ShapeKind.Boolean,
                SpecialType.System_SByte => ShapeKind.SByte,
                SpecialType.System_Byte => ShapeKind.Byte,
                SpecialType.System_Int16 => ShapeKind.Int16,
                SpecialType.System_UInt16 => ShapeKind.UInt16,
                SpecialType.System_Int32 => ShapeKind.Int32,
                SpecialType.System_UInt32 => ShapeKind.UInt32,
                SpecialType.System_Int64 => ShapeKind.Int64,
                SpecialType.System_UInt64 => ShapeKind.UInt64,
                SpecialType.System_Single => ShapeKind.Single,
                SpecialType.System_Double => ShapeKind.Double,
                SpecialType.System_Decimal => ShapeKind.Decimal,
                SpecialType.System_DateTime => ShapeKind.DateTime,
                _ => null,
            };
            if (primitive is null)
            {
                if (KnownSymbols.Is(type, known.DateTimeOffset)) primitive = ShapeKind.DateTimeOffset;
                else if (KnownSymbols.Is(type, known.DateOnly)) primitive = ShapeKind.DateOnly;
                else if (KnownSymbols.Is(type, known.TimeOnly)) primitive = ShapeKind.TimeOnly;
                else if (KnownSymbols.Is(type, known.Guid)) primitive = ShapeKind.Guid;
                else if (KnownSymbols.Is(type, known.Uri)) primitive = ShapeKind.Uri;
            }
            if (primitive is { } kind)
                return new TypeShape(kind, typeName, nullable, type.IsValueType, null, null, EquatableArray<EnumMember>.Empty);

            if (type.TypeKind == TypeKind.Enum)
            {
                var members = new List<EnumMember>();
                foreach (ISymbol member in type.GetMembers())
                {
                    if (member is IFieldSymbol { IsConst: true } field)
                        members.Add(new EnumMember(Identifiers.Escape(field.Name), EnumNameOf(field), System.Convert.ToString(field.ConstantValue, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
                }
                return new TypeShape(ShapeKind.Enum, typeName, nullable, true, null, null, members.ToEquatableArray());
            }

            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                TypeShape? element = Resolve(array.ElementType);
                return element is null ? null : new TypeShape(ShapeKind.Array, typeName, nullable, false, element, null, EquatableArray<EnumMember>.Empty);
            }

            if (type is INamedTypeSymbol named)
            {
                if (named.IsGenericType)
                {
                    if (KnownSymbols.Is(named, known.Lists))
                    {
                        TypeShape? item = Resolve(named.TypeArguments[0]);
                        return item is null ? null : new TypeShape(ShapeKind.List, typeName, nullable, false, item, null, EquatableArray<EnumMember>.Empty);
                    }
                    if (KnownSymbols.Is(named, known.Dictionaries))
                    {
                        if (named.TypeArguments[0].SpecialType != SpecialType.System_String)
                            return null;
                        TypeShape? value = Resolve(named.TypeArguments[1]);
                        return value is null ? null : new TypeShape(ShapeKind.Dictionary, typeName, nullable, false, value, null, EquatableArray<EnumMember>.Empty);
                    }
                    return null;
                }
                if (HasGatewayJsonAttribute(named, known))
                {
                    bool isRoot = SymbolEqualityComparer.Default.Equals(named, root);
                    if (!isRoot && !IsReferenced(named))
                        _referenced.Add(named);
                    string defName = isRoot ? "#" : DefNameOf(named);
                    return new TypeShape(ShapeKind.Object, typeName, nullable, named.IsValueType, null, defName, EquatableArray<EnumMember>.Empty);
                }
            }
            return null;
        }

        private bool IsReferenced(INamedTypeSymbol type)
        {
            foreach (INamedTypeSymbol referenced in _referenced)
            {
                if (SymbolEqualityComparer.Default.Equals(referenced, type))
                    return true;
            }
            return false;
        }

        private string EnumNameOf(IFieldSymbol field)
        {
            foreach (AttributeData attribute in field.GetAttributes())
            {
                if (KnownSymbols.Is(attribute, known.JsonStringEnumMemberNameAttribute)
                    && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name)
                    return name;
            }
            return field.Name;
        }

        /// <summary>The schemas of every generated type the root refers to, directly or through others.</summary>
        public List<SchemaDef> CollectDefinitions(CancellationToken cancellationToken)
        {
            var definitions = new List<SchemaDef>();
            for (int i = 0; i < _referenced.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                INamedTypeSymbol type = _referenced[i];
                string defName = DefNameOf(type);
                (int naming, _) = ReadAttribute(type, known);
                var properties = new List<SchemaProperty>();
                foreach (MemberCandidate candidate in CollectMembers(type, naming, known))
                {
                    // Unsupported members are reported where that type is compiled; here they are left out.
                    if (Resolve(candidate.Type) is { } shape)
                        properties.Add(new SchemaProperty(candidate.JsonName, shape, candidate.Description));
                }
                definitions.Add(new SchemaDef(defName, DocComments.DescriptionOf(type, known), properties.ToEquatableArray()));
            }
            return definitions;
        }
    }
}
