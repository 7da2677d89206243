using System;
using System.IO;
using System.Linq;
using AotGateway.Generator;
using AotGateway.Tests.Generator;
using AotGateway.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AotGateway.Tests.Tools;

/// <summary>The tool generator: approved output, a diagnostic for each unsupported construct, and caching.</summary>
[Trait("Category", "Core")]
public class ToolGeneratorTests
{
    internal const string Source = """
        using System.ComponentModel;
        using System.Threading;
        using System.Threading.Tasks;
        using AotGateway;

        namespace Demo;

        public enum Unit { Celsius, Fahrenheit }

        public static partial class WeatherTools
        {
            /// <summary>Gets the weather for a city.</summary>
            /// <param name="city">The city.</param>
            [GatewayTool]
            public static string GetWeather(string city, Unit unit = Unit.Fahrenheit) => city + unit;

            [GatewayTool(Name = "sum", Description = "Adds numbers.")]
            public static async Task<double> SumAsync([Description("The numbers.")] double[] values, CancellationToken cancellationToken)
            {
                await Task.Yield();
                double total = 0;
                foreach (double v in values) total += v;
                return total;
            }

            [GatewayTool]
            public static void Ping() { }
        }
        """;

    [Theory]
    [InlineData("Demo.WeatherTools.GatewayTools.g.cs")]
    [InlineData("Demo.WeatherTools.GetWeatherArguments.GatewayJson.g.cs")]
    public void Generated_source_matches_the_approved_file(string hintName)
    {
        GeneratorHarness.Result result = GeneratorHarness.Run(Source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
        Approvals.Verify(Path.Combine("tests", "AotGateway.Tests", "Tools", "Approved"), hintName, result.Sources[hintName]);
    }

    private static Diagnostic Single(string source)
    {
        GeneratorHarness.Result result = GeneratorHarness.Run("using AotGateway; using System.Threading.Tasks; using System.Collections.Generic;\n" + source);
        Assert.DoesNotContain(result.Sources.Keys, k => k.EndsWith(".GatewayTools.g.cs", StringComparison.Ordinal));
        return Assert.Single(result.GeneratorDiagnostics);
    }

    private static void AssertAt(Diagnostic diagnostic, string id, int line, int column, string messagePart) =>
        DiagnosticAssert.At(diagnostic, id, line, column, messagePart);

    [Fact]
    public void AGW0010_an_instance_method()
    {
        AssertAt(Single("public partial class T {\n [GatewayTool] public int F(int a) => a; }"), "AGW0010", 3, 27, "make it static");
    }

    [Fact]
    public void AGW0011_a_class_that_is_not_partial()
    {
        AssertAt(Single("public static class T {\n [GatewayTool] public static int F(int a) => a; }"), "AGW0011", 2, 21, "add the 'partial' modifier");
    }

    [Fact]
    public void AGW0012_a_generic_method()
    {
        AssertAt(Single("public static partial class T {\n [GatewayTool] public static int F<TX>(int a) => a; }"), "AGW0012", 3, 34, "generic");
    }

    [Theory]
    [InlineData("ref int a", "ref")]
    [InlineData("out int a", "out")]
    [InlineData("in int a", "in")]
    [InlineData("params int[] a", "params")]
    public void AGW0013_parameters_by_reference(string parameter, string how)
    {
        string body = how == "out" ? "{ a = 0; return 0; }" : "=> 0;";
        Diagnostic d = Single($"public static partial class T {{\n [GatewayTool] public static int F({parameter}) {body} }}");
        Assert.Equal("AGW0013", d.Id);
        Assert.Contains($"passed as '{how}'", d.GetMessage());
        Assert.Equal(3, d.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void AGW0014_an_unsupported_parameter_type_names_parameter_and_type()
    {
        Diagnostic d = Single("public static partial class T {\n [GatewayTool] public static int F(System.IO.Stream body) => 0; }");
        AssertAt(d, "AGW0014", 3, 53, "'body'");
        Assert.Contains("System.IO.Stream", d.GetMessage());
    }

    [Theory]
    [InlineData("System.IO.Stream", "null!")]
    [InlineData("Task<System.IO.Stream>", "null!")]
    [InlineData("ValueTask<object>", "default")]
    public void AGW0015_an_unsupported_return_type(string type, string value)
    {
        Diagnostic d = Single($"public static partial class T {{\n [GatewayTool] public static {type} F() => {value}; }}");
        Assert.Equal("AGW0015", d.Id);
        Assert.Contains("'f'", d.GetMessage());
    }

    [Fact]
    public void AGW0016_an_invalid_tool_name()
    {
        AssertAt(Single("public static partial class T {\n [GatewayTool(Name = \"get weather!\")] public static int F() => 0; }"), "AGW0016", 3, 57, "'get weather!'");
    }

    [Fact]
    public void AGW0016_a_name_over_64_characters()
    {
        Assert.Equal("AGW0016", Single($"public static partial class T {{\n [GatewayTool(Name = \"{new string('a', 65)}\")] public static int F() => 0; }}").Id);
    }

    [Fact]
    public void AGW0017_duplicate_tool_names_in_a_class()
    {
        Diagnostic d = Single("public static partial class T {\n [GatewayTool] public static int GetTime() => 0;\n [GatewayTool(Name = \"get_time\")] public static int Now() => 0; }");
        AssertAt(d, "AGW0017", 4, 53, "'get_time' is used by both 'GetTime' and 'Now'");
    }

    [Fact]
    public void AGW0004_a_tool_class_nested_in_a_non_partial_class()
    {
        Diagnostic d = Single("public class Outer {\n public static partial class T { [GatewayTool] public static int F() => 0; } }");
        Assert.Equal("AGW0004", d.Id);
        Assert.Contains("'Outer'", d.GetMessage());
    }

    [Fact]
    public void Tool_classes_nested_in_partial_types_and_instance_classes_compile()
    {
        GeneratorHarness.Result result = GeneratorHarness.Run("""
            using AotGateway;
            namespace N;
            public partial class Outer { public partial class Tools { [GatewayTool] internal static int F(int a, string? note = "x") => a; } }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
        Assert.Contains("N.Outer.Tools.GatewayTools.g.cs", result.Sources.Keys);
    }

    [Fact]
    public void An_edit_unrelated_to_tools_reruns_no_tool_step()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Demo; public static class Unrelated { public static int Answer => 42; }", GeneratorHarness.ParseOptions)));

        GeneratorRunResult run = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(ToolGenerator));
        foreach (string step in new[] { TrackingNames.ParsedTools, TrackingNames.GroupedTools, TrackingNames.ToolSets })
        {
            Assert.NotEmpty(run.TrackedSteps[step]);
            Assert.All(run.TrackedSteps[step].SelectMany(s => s.Outputs),
                o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step} output was {o.Reason}"));
        }
    }

    [Fact]
    public void An_edit_to_a_tool_reruns_its_step()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree changed = CSharpSyntaxTree.ParseText(Source.Replace("public static void Ping() { }", "public static void Ping(int times) { }"), GeneratorHarness.ParseOptions);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(), changed));
        GeneratorRunResult run = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(ToolGenerator));
        Assert.Contains(IncrementalStepRunReason.Modified, run.TrackedSteps[TrackingNames.ParsedTools].SelectMany(s => s.Outputs).Select(o => o.Reason));
    }
}

/// <summary>The README's typed-tools example compiles, generator and all.</summary>
[Trait("Category", "Core")]
public class ReadmeToolExampleTests
{
    [Fact]
    public void The_typed_tools_example_in_the_README_compiles()
    {
        string code = Readme.CSharpBlockAfter("## Typed tools");
        Assert.Contains("[GatewayTool]", code);
        Assert.Contains("RunToolsAsync", code);

        GeneratorHarness.Result result = GeneratorHarness.Run("using System.Threading; using System.Threading.Tasks;\n" + code);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
        Assert.Contains("WeatherTools.GatewayTools.g.cs", result.Sources.Keys);
    }

    [Fact]
    public void The_Microsoft_Extensions_AI_example_in_the_README_compiles()
    {
        string tools = Readme.CSharpBlockAfter("## Typed tools");
        string meai = Readme.CSharpBlockAfter("## Microsoft.Extensions.AI");
        // Two files of one compilation: the second uses the first's tool class.
        GeneratorHarness.Result result = GeneratorHarness.Run(
            "using System.Threading; using System.Threading.Tasks;\n" + tools,
            "using System.Threading.Tasks;\n" + meai);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
    }

    [Fact]
    public void The_dependency_injection_example_in_the_README_compiles()
    {
        string code = Readme.CSharpBlockAfter("## Dependency injection");
        GeneratorHarness.Result result = GeneratorHarness.Run(code);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
    }

    [Fact]
    public void The_telemetry_example_in_the_README_compiles()
    {
        GeneratorHarness.Result result = GeneratorHarness.Run(Readme.CSharpBlockAfter("## Telemetry"));
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
    }
}
