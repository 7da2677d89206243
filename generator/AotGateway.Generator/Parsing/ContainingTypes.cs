using System.Collections.Generic;
using System.Threading;
using AotGateway.Generator.Diagnostics;
using AotGateway.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AotGateway.Generator.Parsing;

/// <summary>The types a generated part is nested in: each must be partial, and each is reopened by the emitter.</summary>
internal static class ContainingTypes
{
    /// <summary>The containing types, outermost first.</summary>
    public static List<ContainingType> Of(INamedTypeSymbol type)
    {
        var containing = new List<ContainingType>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            containing.Insert(0, new ContainingType(Keyword(outer), outer.Name));
        return containing;
    }

    /// <summary>Reports AGW0004 for each containing type that is not partial.</summary>
    public static void ReportNotPartial(INamedTypeSymbol type, Location location, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (!IsPartial(outer, cancellationToken))
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, location, type.ToDisplayString(), outer.ToDisplayString()));
        }
    }

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                return false;
        }
        return true;
    }

    /// <summary>The keyword that reopens <paramref name="type"/> (without <c>static</c>: one part saying it is enough).</summary>
    public static string Keyword(INamedTypeSymbol type) => (type.IsRecord, type.TypeKind) switch
    {
        (true, TypeKind.Struct) => "record struct",
        (true, _) => "record",
        (false, TypeKind.Struct) => "struct",
        (false, TypeKind.Interface) => "interface",
        _ => "class",
    };
}
