using Microsoft.CodeAnalysis;
using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>A generator diagnostic is an error with its id, at a line and column, saying how to fix the problem.</summary>
internal static class DiagnosticAssert
{
    public static void At(Diagnostic diagnostic, string id, int line, int column, string messagePart)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal((line, column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.Contains(messagePart, diagnostic.GetMessage());
    }
}
