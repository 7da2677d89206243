using System.Collections.Generic;
using System.Linq;
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
    public static void ReportNotPartial(INamedTypeSymbol type, Location location, string display, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            bool partial = outer.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, location, display, outer.ToDisplayString()));
        }
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
