using System.Linq;
using AotGateway.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AotGateway.Tests.Generator;

public class GeneratorCachingTests
{
    [Fact]
    public void An_edit_unrelated_to_marked_types_reruns_no_generator_step()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(GeneratorSnapshotTests.Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Demo; public static class Unrelated { public static int Answer => 42; }", GeneratorHarness.ParseOptions));
        driver = driver.RunGenerators(edited);

        GeneratorRunResult run = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(JsonGenerator));
        var steps = run.TrackedSteps[TrackingNames.ParsedJsonTypes];
        Assert.NotEmpty(steps);
        foreach (IncrementalGeneratorRunStep step in steps)
        {
            foreach ((object _, IncrementalStepRunReason reason) in step.Outputs)
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step output was {reason}");
        }
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output was {output.Reason}"));
    }

    [Fact]
    public void An_edit_to_a_marked_type_does_rerun_its_step()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(GeneratorSnapshotTests.Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree changed = CSharpSyntaxTree.ParseText(GeneratorSnapshotTests.Source.Replace("public double? Value", "public double? Value2"), GeneratorHarness.ParseOptions);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, changed));
        var reasons = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(JsonGenerator)).TrackedSteps[TrackingNames.ParsedJsonTypes].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
    }
}
