using System;
using System.Linq;
using AotGateway.Tests.Generator;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.ExtensionsAI;

/// <summary>
/// AotGateway and Microsoft.Extensions.AI share a few type names (CS0104 in a file importing both). The set is
/// pinned here so a new clash shows in review, and README's aliasing example must compile.
/// </summary>
public class NameClashTests
{
    [Fact]
    public void The_names_shared_with_Microsoft_Extensions_AI_are_the_three_README_names()
    {
        string[] ours = [.. typeof(GatewayClient).Assembly.GetExportedTypes().Where(t => t.DeclaringType is null).Select(t => t.Name)];
        string[] theirs = [.. typeof(Microsoft.Extensions.AI.IChatClient).Assembly.GetExportedTypes()
            .Where(t => t.DeclaringType is null && t.Namespace == "Microsoft.Extensions.AI").Select(t => t.Name)];
        Assert.Equal(["ChatMessage", "ChatResponseFormat", "ChatRole"], ours.Intersect(theirs).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void The_README_example_with_both_namespaces_compiles()
    {
        string code = "using System.Threading.Tasks;\n" + Readme.CSharpBlockAfter("Three names exist in both namespaces");
        GeneratorHarness.Result result = GeneratorHarness.Run(code);
        Assert.Empty(result.CompilationDiagnostics);
    }
}
