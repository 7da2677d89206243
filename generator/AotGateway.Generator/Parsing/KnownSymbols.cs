using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AotGateway.Generator.Parsing;

/// <summary>
/// The types the parsers recognise (the library's attributes, System.Text.Json's, <c>[Description]</c>, the member
/// types with a JSON shape of their own), resolved once per compilation and compared by symbol, never by display
/// string: a user's own type that happens to be called <c>JsonIgnoreAttribute</c> is not System.Text.Json's.
/// </summary>
internal sealed class KnownSymbols
{
    private static readonly ConditionalWeakTable<Compilation, KnownSymbols> s_byCompilation = new();

    private KnownSymbols(Compilation compilation)
    {
        GatewayJsonAttribute = Resolve(compilation, "AotGateway.GatewayJsonAttribute");
        GatewayToolAttribute = Resolve(compilation, "AotGateway.GatewayToolAttribute");
        JsonPropertyNameAttribute = Resolve(compilation, "System.Text.Json.Serialization.JsonPropertyNameAttribute");
        JsonIgnoreAttribute = Resolve(compilation, "System.Text.Json.Serialization.JsonIgnoreAttribute");
        JsonStringEnumMemberNameAttribute = Resolve(compilation, "System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute");
        DescriptionAttribute = Resolve(compilation, "System.ComponentModel.DescriptionAttribute");
        CancellationToken = Resolve(compilation, "System.Threading.CancellationToken");
        DateTimeOffset = Resolve(compilation, "System.DateTimeOffset");
        DateOnly = Resolve(compilation, "System.DateOnly");
        TimeOnly = Resolve(compilation, "System.TimeOnly");
        Guid = Resolve(compilation, "System.Guid");
        Uri = Resolve(compilation, "System.Uri");
        Task = Resolve(compilation, "System.Threading.Tasks.Task");
        ValueTask = Resolve(compilation, "System.Threading.Tasks.ValueTask");
        TaskOfT = Resolve(compilation, "System.Threading.Tasks.Task`1");
        ValueTaskOfT = Resolve(compilation, "System.Threading.Tasks.ValueTask`1");
        Lists = Resolve(compilation, "System.Collections.Generic.List`1")
            .AddRange(Resolve(compilation, "System.Collections.Generic.IList`1"))
            .AddRange(Resolve(compilation, "System.Collections.Generic.ICollection`1"))
            .AddRange(Resolve(compilation, "System.Collections.Generic.IReadOnlyList`1"))
            .AddRange(Resolve(compilation, "System.Collections.Generic.IReadOnlyCollection`1"))
            .AddRange(Resolve(compilation, "System.Collections.Generic.IEnumerable`1"));
        Dictionaries = Resolve(compilation, "System.Collections.Generic.Dictionary`2")
            .AddRange(Resolve(compilation, "System.Collections.Generic.IDictionary`2"))
            .AddRange(Resolve(compilation, "System.Collections.Generic.IReadOnlyDictionary`2"));
    }

    /// <summary>The symbols of <paramref name="compilation"/>, resolved on its first use.</summary>
    public static KnownSymbols For(Compilation compilation) => s_byCompilation.GetValue(compilation, static c => new KnownSymbols(c));

    public ImmutableArray<INamedTypeSymbol> GatewayJsonAttribute { get; }
    public ImmutableArray<INamedTypeSymbol> GatewayToolAttribute { get; }
    public ImmutableArray<INamedTypeSymbol> JsonPropertyNameAttribute { get; }
    public ImmutableArray<INamedTypeSymbol> JsonIgnoreAttribute { get; }
    public ImmutableArray<INamedTypeSymbol> JsonStringEnumMemberNameAttribute { get; }
    public ImmutableArray<INamedTypeSymbol> DescriptionAttribute { get; }
    public ImmutableArray<INamedTypeSymbol> CancellationToken { get; }
    public ImmutableArray<INamedTypeSymbol> DateTimeOffset { get; }
    public ImmutableArray<INamedTypeSymbol> DateOnly { get; }
    public ImmutableArray<INamedTypeSymbol> TimeOnly { get; }
    public ImmutableArray<INamedTypeSymbol> Guid { get; }
    public ImmutableArray<INamedTypeSymbol> Uri { get; }
    public ImmutableArray<INamedTypeSymbol> Task { get; }
    public ImmutableArray<INamedTypeSymbol> ValueTask { get; }
    public ImmutableArray<INamedTypeSymbol> TaskOfT { get; }
    public ImmutableArray<INamedTypeSymbol> ValueTaskOfT { get; }

    /// <summary>The generic collection types a list member may be declared as.</summary>
    public ImmutableArray<INamedTypeSymbol> Lists { get; }

    /// <summary>The generic dictionary types a map member may be declared as.</summary>
    public ImmutableArray<INamedTypeSymbol> Dictionaries { get; }

    /// <summary>Whether <paramref name="type"/> (or, for a constructed generic, its definition) is one of <paramref name="known"/>.</summary>
    public static bool Is(ITypeSymbol? type, ImmutableArray<INamedTypeSymbol> known)
    {
        if (type is null)
            return false;
        ITypeSymbol definition = type.OriginalDefinition;
        foreach (INamedTypeSymbol candidate in known)
        {
            if (SymbolEqualityComparer.Default.Equals(definition, candidate))
                return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="attribute"/> is an instance of one of <paramref name="known"/>.</summary>
    public static bool Is(AttributeData attribute, ImmutableArray<INamedTypeSymbol> known) => Is(attribute.AttributeClass, known);

    /// <summary>
    /// Every type of that metadata name the compilation sees: usually one, more when two references define it (then any of
    /// them is recognised, where a single lookup would give none).
    /// </summary>
    private static ImmutableArray<INamedTypeSymbol> Resolve(Compilation compilation, string metadataName) =>
        compilation.GetTypesByMetadataName(metadataName);
}
