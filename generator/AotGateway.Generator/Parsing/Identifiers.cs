using Microsoft.CodeAnalysis.CSharp;

namespace AotGateway.Generator.Parsing;

/// <summary>Names as generated code must write them: a member called <c>@class</c> is declared with its <c>@</c>.</summary>
internal static class Identifiers
{
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
