namespace AotGateway.Generator.Model;

/// <summary>A type that contains the generated type, outermost first.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>One JSON property of a generated type; <c>DefaultExpression</c> stands in when it is missing (a constructor parameter's default).</summary>
internal sealed record JsonMemberModel(
    string ClrName,
    string JsonName,
    TypeShape Shape,
    bool IsRequired,
    MemberAssignment Assignment,
    string? Description,
    string? DefaultExpression = null);

/// <summary>How the reader gives a member its value.</summary>
internal enum MemberAssignment
{
    ConstructorParameter,
    Initializer,
    SetAfterConstruction,
}

/// <summary>A property as the schema describes it.</summary>
internal sealed record SchemaProperty(string JsonName, TypeShape Shape, string? Description);

/// <summary>An object schema: the generated type itself or one it refers to (a <c>$defs</c> entry).</summary>
internal sealed record SchemaDef(string DefName, string? Description, EquatableArray<SchemaProperty> Properties);

/// <summary>
/// Everything the emitter needs to write one type's JSON code and schema. No symbols, no syntax.
/// <c>HasPartialBuilder</c>: whether partial objects of it are built member by member (a tool's argument record is
/// not: its calls are run whole, and without a builder a stream of it is read from the closed text instead).
/// </summary>
internal sealed record JsonTypeModel(
    string? Namespace,
    string Name,
    string FullyQualifiedName,
    string Keyword,
    EquatableArray<ContainingType> ContainingTypes,
    EquatableArray<JsonMemberModel> Members,
    EquatableArray<string> ConstructorArguments,
    string SchemaName,
    SchemaDef Root,
    EquatableArray<SchemaDef> Definitions,
    bool HasPartialBuilder = true);

/// <summary>What parsing one marked type produced: a model when it can be generated, and diagnostics.</summary>
internal sealed record ParseResult(JsonTypeModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
