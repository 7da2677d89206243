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
            string? text = CommentText(node.GetLeadingTrivia());
            if (text is not null)
                return "<doc>" + text + "</doc>";
        }
        return null;
    }

    private static string? CommentText(SyntaxTriviaList trivia)
    {
        StringBuilder? text = null;
        foreach (SyntaxTrivia item in trivia)
        {
            switch (item.Kind())
            {
                case SyntaxKind.WhitespaceTrivia:
                case SyntaxKind.EndOfLineTrivia:
                    continue;
                case SyntaxKind.SingleLineCommentTrivia:
                case SyntaxKind.SingleLineDocumentationCommentTrivia:
                {
                    string comment = item.ToFullString();
                    if (!IsDocLine(comment))
                        continue; // the compiler reads doc comments around ordinary ones, so do we
                    text ??= new StringBuilder();
                    foreach (string line in comment.Split('\n'))
                    {
                        string trimmed = line.Trim();
                        if (trimmed.StartsWith("///", System.StringComparison.Ordinal))
                            text.Append(trimmed, 3, trimmed.Length - 3).Append('\n');
                    }
                    continue;
                }
                case SyntaxKind.MultiLineCommentTrivia:
                case SyntaxKind.MultiLineDocumentationCommentTrivia:
                {
                    string comment = item.ToFullString();
                    if (!comment.StartsWith("/**", System.StringComparison.Ordinal) || comment.StartsWith("/**/", System.StringComparison.Ordinal))
                        continue;
                    text ??= new StringBuilder();
                    string body = comment.Substring(3, comment.Length - 5);
                    foreach (string line in body.Split('\n'))
                    {
                        string trimmed = line.Trim();
                        text.Append(trimmed.StartsWith("*", System.StringComparison.Ordinal) ? trimmed.Substring(1) : trimmed).Append('\n');
                    }
                    continue;
                }
                default:
                    // #region, #if and the like: keep what came before, as the compiler does.
                    continue;
            }
        }
        return text?.ToString();
    }

    private static bool IsDocLine(string comment) =>
        comment.StartsWith("///", System.StringComparison.Ordinal) && !comment.StartsWith("////", System.StringComparison.Ordinal);
}
