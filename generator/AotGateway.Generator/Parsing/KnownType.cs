using Microsoft.CodeAnalysis;

namespace AotGateway.Generator.Parsing;

/// <summary>
/// One or more top-level types of one namespace and arity, matched against a symbol by its names alone: the type's
/// name, its arity, no containing type, and each enclosing namespace up to the global one. Allocates nothing.
/// </summary>
internal sealed class KnownType
{
    private readonly string[] _namespace;
    private readonly string[] _names;
    private readonly int _arity;

    public KnownType(string ns, string name, int arity = 0)
        : this(ns, [name], arity)
    {
    }

    public KnownType(string ns, string[] names, int arity)
    {
        _namespace = ns.Split('.');
        _names = names;
        _arity = arity;
    }

    public bool Matches(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named || named.Arity != _arity || named.ContainingType is not null || !IsOneOf(named.Name))
            return false;
        INamespaceSymbol? ns = named.ContainingNamespace;
        for (int i = _namespace.Length - 1; i >= 0; i--)
        {
            if (ns is null || ns.IsGlobalNamespace || ns.Name != _namespace[i])
                return false;
            ns = ns.ContainingNamespace;
        }
        return ns is { IsGlobalNamespace: true };
    }

    private bool IsOneOf(string name)
    {
        foreach (string candidate in _names)
        {
            if (candidate == name)
                return true;
        }
        return false;
    }
}
