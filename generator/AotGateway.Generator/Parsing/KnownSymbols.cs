using Microsoft.CodeAnalysis;

namespace AotGateway.Generator.Parsing;

/// <summary>
/// The types the parsers recognise (the library's attributes, System.Text.Json's, <c>[Description]</c>, the member
/// types with a JSON shape of their own), recognised by full metadata name, never by display string: a user's own
/// type that happens to be called <c>JsonIgnoreAttribute</c> is not System.Text.Json's.
/// <para>
/// Matching the name where a symbol is met replaces resolving each type in every compilation: an edit makes a new
/// compilation, and looking two dozen names up through every referenced assembly was a sixth of what an edit cost
/// the parse at 50 types. It recognises the same types: every type of that metadata name the compilation can see
/// (two references defining one are both recognised).
/// </para>
/// </summary>
internal sealed class KnownSymbols
{
    /// <summary>The one set: it depends on names alone, not on a compilation.</summary>
    public static KnownSymbols Shared { get; } = new();

    private KnownSymbols()
    {
    }

    public KnownType GatewayJsonAttribute { get; } = new("AotGateway", "GatewayJsonAttribute");
    public KnownType GatewayToolAttribute { get; } = new("AotGateway", "GatewayToolAttribute");
    public KnownType JsonPropertyNameAttribute { get; } = new("System.Text.Json.Serialization", "JsonPropertyNameAttribute");
    public KnownType JsonIgnoreAttribute { get; } = new("System.Text.Json.Serialization", "JsonIgnoreAttribute");
    public KnownType JsonStringEnumMemberNameAttribute { get; } = new("System.Text.Json.Serialization", "JsonStringEnumMemberNameAttribute");
    public KnownType DescriptionAttribute { get; } = new("System.ComponentModel", "DescriptionAttribute");
    public KnownType CancellationToken { get; } = new("System.Threading", "CancellationToken");
    public KnownType DateTimeOffset { get; } = new("System", "DateTimeOffset");
    public KnownType DateOnly { get; } = new("System", "DateOnly");
    public KnownType TimeOnly { get; } = new("System", "TimeOnly");
    public KnownType Guid { get; } = new("System", "Guid");
    public KnownType Uri { get; } = new("System", "Uri");
    public KnownType Task { get; } = new("System.Threading.Tasks", "Task");
    public KnownType ValueTask { get; } = new("System.Threading.Tasks", "ValueTask");
    public KnownType TaskOfT { get; } = new("System.Threading.Tasks", "Task", 1);
    public KnownType ValueTaskOfT { get; } = new("System.Threading.Tasks", "ValueTask", 1);

    /// <summary>The generic collection types a list member may be declared as.</summary>
    public KnownType Lists { get; } = new("System.Collections.Generic", ["List", "IList", "ICollection", "IReadOnlyList", "IReadOnlyCollection", "IEnumerable"], 1);

    /// <summary>The generic dictionary types a map member may be declared as.</summary>
    public KnownType Dictionaries { get; } = new("System.Collections.Generic", ["Dictionary", "IDictionary", "IReadOnlyDictionary"], 2);

    /// <summary>Whether <paramref name="type"/> (or, for a constructed generic, its definition) is one of <paramref name="known"/>.</summary>
    public static bool Is(ITypeSymbol? type, KnownType known) => type is not null && known.Matches(type.OriginalDefinition);

    /// <summary>Whether <paramref name="attribute"/> is an instance of one of <paramref name="known"/>.</summary>
    public static bool Is(AttributeData attribute, KnownType known) => Is(attribute.AttributeClass, known);
}
