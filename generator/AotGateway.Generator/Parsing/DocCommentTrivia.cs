using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AotGateway.Generator.Parsing;

/// <summary>
/// A symbol's XML doc comment read from its source. The SDK parses documentation only when
/// GenerateDocumentationFile is set; otherwise <c>///</c> lines are ordinary comments and
/// <see cref="ISymbol.GetDocumentationCommentXml"/> returns nothing, yet users still expect their
/// summaries in the schema.
/// </summary>
internal static class DocCommentTrivia
{
    /// <summary>The comment as one XML element (<c>&lt;doc&gt;…&lt;/doc&gt;</c>), or null when the symbol has none.</summary>
    public static string? XmlOf(ISymbol symbol)
    {
        foreach (SyntaxReference reference in symbol.DeclaringSyntaxReferences)
        {
            SyntaxNode node = reference.GetSyntax();
            // A field's symbol points at its declarator; the comment sits before the whole declaration.
            if (node is VariableDeclaratorSyntax && node.Parent?.Parent is { } declaration)
                node = declaration;
            string? xml = CommentText(node.GetLeadingTrivia());
            if (xml is not null)
                return xml;
        }
        return null;
    }

    [System.ThreadStatic]
    private static StringBuilder? t_text;

    private static string? CommentText(SyntaxTriviaList trivia)
    {
        StringBuilder? text = null;
        foreach (SyntaxTrivia item in trivia)
        {
            switch (item.Kind())
            {
                case SyntaxKind.SingleLineCommentTrivia:
                case SyntaxKind.SingleLineDocumentationCommentTrivia:
                {
                    string comment = item.ToFullString();
                    if (!IsDocLine(comment))
                        continue; // the compiler reads doc comments around ordinary ones, so do we
                    text ??= Start();
                    AppendLines(text, comment, 0, comment.Length, prefix: "///");
                    continue;
                }
                case SyntaxKind.MultiLineCommentTrivia:
                case SyntaxKind.MultiLineDocumentationCommentTrivia:
                {
                    string comment = item.ToFullString();
                    if (!comment.StartsWith("/**", System.StringComparison.Ordinal) || comment.StartsWith("/**/", System.StringComparison.Ordinal))
                        continue;
                    text ??= Start();
                    AppendLines(text, comment, 3, comment.Length - 5, prefix: "*");
                    continue;
                }
                default:
                    // Whitespace, #region, #if and the like: keep what came before, as the compiler does.
                    continue;
            }
        }
        return text is null ? null : text.Append("</doc>").ToString();
    }

    private static StringBuilder Start() => (t_text ??= new StringBuilder()).Clear().Append("<doc>");

    /// <summary>
    /// Appends each line of <paramref name="comment"/>[start, start+length) trimmed, without its leading
    /// <paramref name="prefix"/> (a line of a single-line comment without the prefix is not documentation and is
    /// left out; a line of a block comment is kept either way).
    /// </summary>
    private static void AppendLines(StringBuilder text, string comment, int start, int length, string prefix)
    {
        bool required = prefix == "///";
        int end = start + length;
        int line = start;
        while (line < end)
        {
            int next = comment.IndexOf('\n', line, end - line);
            int lineEnd = next < 0 ? end : next;
            int from = line, to = lineEnd;
            while (from < to && char.IsWhiteSpace(comment[from]))
                from++;
            while (to > from && char.IsWhiteSpace(comment[to - 1]))
                to--;
            bool prefixed = to - from >= prefix.Length && string.CompareOrdinal(comment, from, prefix, 0, prefix.Length) == 0;
            if (prefixed)
                from += prefix.Length;
            if (prefixed || !required)
                text.Append(comment, from, to - from).Append('\n');
            line = lineEnd + 1;
        }
    }

    private static bool IsDocLine(string comment) =>
        comment.StartsWith("///", System.StringComparison.Ordinal) && !comment.StartsWith("////", System.StringComparison.Ordinal);
}
