using System.Linq;
using AotGateway.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using System.Collections.Generic;
using Xunit;

namespace AotGateway.Tests.Generator;

[Trait("Category", "Core")]
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
    public void The_step_check_sees_the_named_steps_and_finds_a_symbol_planted_in_a_value()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(GeneratorSnapshotTests.Source);
        GeneratorDriverRunResult run = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult();
        GeneratorRunResult json = run.Results.Single(r => r.Generator.GetGeneratorType() == typeof(JsonGenerator));
        Assert.NotEmpty(json.TrackedSteps[TrackingNames.ParsedJsonTypes]);
        Assert.NotEmpty(json.TrackedSteps[TrackingNames.JsonTypeModels]);
        object model = json.TrackedSteps[TrackingNames.JsonTypeModels][0].Outputs[0].Value;
        Assert.Null(GeneratorSteps.FindCompilerObject(model));
        ISymbol planted = compilation.GetTypeByMetadataName("Demo.Weather")!;
        Assert.NotNull(GeneratorSteps.FindCompilerObject((model, new List<object> { "x", planted })));
        Assert.NotNull(GeneratorSteps.FindCompilerObject(new { Tree = compilation.SyntaxTrees.First().GetRoot() }));
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

/// <summary>The tool generator caches per class: an edit that leaves a class's tools equal regenerates nothing.</summary>
[Trait("Category", "Core")]
public class ToolGeneratorCachingTests
{
    private const string Tools = """
        using System.Threading.Tasks;
        using AotGateway;

        namespace Demo;

        public static partial class WeatherTools
        {
            /// <summary>Gets the weather.</summary>
            [GatewayTool]
            public static Task<string> GetWeatherAsync(string city) => Task.FromResult("sunny");

            [GatewayTool]
            public static int Add(int a, int b) => a + b;
        }

        public static partial class ClockTools
        {
            [GatewayTool]
            public static string Now() => "12:00";
        }
        """;

    private static GeneratorRunResult Rerun(string edited)
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Tools);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree old = compilation.SyntaxTrees.Single();
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(edited, GeneratorHarness.ParseOptions, path: old.FilePath)));
        return driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(ToolGenerator));
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult run, string step) =>
        [.. run.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason)];

    [Theory]
    [InlineData("\n\n\n")]
    [InlineData("// a comment above everything\n")]
    public void An_edit_elsewhere_in_the_same_file_regenerates_no_tool_set(string prefix)
    {
        GeneratorRunResult run = Rerun(prefix + Tools);
        Assert.All(Reasons(run, TrackingNames.ToolSets), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"tool set was {r}"));
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output was {output.Reason}"));
    }

    [Fact]
    public void An_edit_to_one_class_regenerates_that_class_alone()
    {
        GeneratorRunResult run = Rerun(Tools.Replace("\"12:00\"", "\"13:00\"", System.StringComparison.Ordinal).Replace("public static string Now()", "public static string NowUtc()", System.StringComparison.Ordinal));
        IncrementalStepRunReason[] sets = Reasons(run, TrackingNames.ToolSets);
        Assert.Single(sets, r => r == IncrementalStepRunReason.Modified);
        Assert.Single(sets, r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
    }
}
