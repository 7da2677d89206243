using Microsoft.CodeAnalysis.CSharp;

namespace AotGateway.Generator.Model;

/// <summary>
/// Names as generated code must write them: a member called <c>@class</c> is declared with its <c>@</c>. The parser
/// stores member names in this form; the emitter escapes type names, which the model keeps plain for hint and schema names.
/// </summary>
internal static class Identifiers
{
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
