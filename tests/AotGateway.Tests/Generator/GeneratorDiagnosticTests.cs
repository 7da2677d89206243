using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>Each unsupported construct is a diagnostic with its id, a message that says how to fix it, and a location.</summary>
[Trait("Category", "Core")]
public class GeneratorDiagnosticTests
{
    private static Diagnostic Single(string source)
    {
        GeneratorHarness.Result result = GeneratorHarness.Run("using AotGateway; using System.Collections.Generic;\n" + source);
        Assert.Empty(result.Sources);
        return Assert.Single(result.GeneratorDiagnostics);
    }

    private static void AssertAt(Diagnostic diagnostic, string id, int line, int column, string messagePart) =>
        DiagnosticAssert.At(diagnostic, id, line, column, messagePart);

    [Fact]
    public void AGW0001_a_type_that_is_not_partial()
    {
        AssertAt(Single("[GatewayJson] public class Plain { public int A { get; set; } }"), "AGW0001", 2, 28, "add the 'partial' modifier");
    }

    [Fact]
    public void AGW0002_an_unsupported_member_type_names_member_and_type()
    {
        Diagnostic d = Single("[GatewayJson] public partial class P {\n public System.IO.Stream Body { get; set; } = null!; }");
        AssertAt(d, "AGW0002", 3, 26, "'Body'");
        Assert.Contains("System.IO.Stream", d.GetMessage());
        Assert.Contains("[JsonIgnore]", d.GetMessage());
    }

    [Fact]
    public void AGW0002_also_for_dictionaries_not_keyed_by_string_and_unmarked_classes()
    {
        Assert.Equal("AGW0002", Single("[GatewayJson] public partial class P { public Dictionary<int, string> M { get; set; } = new(); }").Id);
        Assert.Equal("AGW0002", Single("public class Unmarked { } [GatewayJson] public partial class P { public Unmarked U { get; set; } = new(); }").Id);
    }

    [Fact]
    public void AGW0003_duplicate_json_names()
    {
        Diagnostic d = Single("[GatewayJson] public partial class P {\n public int A { get; set; }\n [System.Text.Json.Serialization.JsonPropertyName(\"A\")] public int B { get; set; } }");
        AssertAt(d, "AGW0003", 4, 68, "'A' is used by both 'A' and 'B'");
    }

    [Fact]
    public void AGW0004_a_type_nested_in_a_non_partial_type()
    {
        Diagnostic d = Single("public class Outer {\n [GatewayJson] public partial class Inner { public int A { get; set; } } }");
        AssertAt(d, "AGW0004", 3, 37, "'Outer'");
    }

    [Fact]
    public void AGW0005_a_generic_type()
    {
        AssertAt(Single("[GatewayJson] public partial class Box<T> { public int A { get; set; } }"), "AGW0005", 2, 36, "generic");
    }

    [Fact]
    public void AGW0006_no_constructor_the_reader_can_call()
    {
        AssertAt(Single("[GatewayJson] public partial class P { public P(string other) { } public int A { get; set; } }"), "AGW0006", 2, 36, "constructor");
    }

    [Fact]
    public void AGW0007_a_get_only_property_without_a_constructor_parameter()
    {
        Diagnostic d = Single("[GatewayJson] public partial class P {\n public int Computed => 4; }");
        AssertAt(d, "AGW0007", 3, 13, "'Computed'");
    }

    [Fact]
    public void AGW0008_an_invalid_schema_name()
    {
        AssertAt(Single("[GatewayJson(SchemaName = \"has space\")] public partial class P { public int A { get; set; } }"), "AGW0008", 2, 62, "'has space'");
    }

    [Fact]
    public void AGW0009_an_abstract_type()
    {
        AssertAt(Single("[GatewayJson] public abstract partial class P { public int A { get; set; } }"), "AGW0009", 2, 45, "abstract");
    }

    [Fact]
    public void Valid_types_produce_no_diagnostics_and_compile_cleanly()
    {
        GeneratorHarness.Result result = GeneratorHarness.Run(GeneratorSnapshotTests.Source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
        Assert.Equal(2, result.Sources.Count);
    }
}
