using System.Collections.Generic;
using AotGateway.Generator.Model;

namespace AotGateway.Generator.Emitting;

/// <summary>Generated file names: the type's full dotted name and what the file holds.</summary>
internal static class HintNames
{
    public static string For(string? ns, EquatableArray<ContainingType> containing, string name, string suffix)
    {
        var parts = new List<string>();
        if (ns is not null)
            parts.Add(ns);
        foreach (ContainingType outer in containing)
            parts.Add(outer.Name);
        parts.Add(name);
        return string.Join(".", parts) + suffix;
    }
}
