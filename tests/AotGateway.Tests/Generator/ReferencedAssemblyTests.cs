using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AotGateway.Tests.Generator;

[Trait("Category", "Core")]
public class ReferencedAssemblyTests
{
    [Fact]
    public void A_member_whose_type_was_generated_in_a_referenced_assembly_gets_its_schema_in_defs()
    {
        // Library: a [GatewayJson] type compiled with the generator, as a package of the user's would be.
        CSharpCompilation library = GeneratorHarness.Compile("""
            namespace Lib;
            // XML docs of a referenced assembly are not in its metadata; [Description] is.
            [System.ComponentModel.Description("A coordinate.")]
            [AotGateway.GatewayJson(Naming = AotGateway.GatewayJsonNaming.CamelCase)]
            public partial record Coordinate(double Latitude, double Longitude);
            """).WithAssemblyName("Lib");
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(library, out Compilation generatedLibrary, out _);
        using var image = new MemoryStream();
        Assert.True(generatedLibrary.Emit(image).Success);

        // App: refers to the library's type from its own [GatewayJson] type.
        CSharpCompilation app = GeneratorHarness.Compile("""
            namespace App;
            [AotGateway.GatewayJson]
            public partial class Trip { public Lib.Coordinate From { get; set; } = null!; public Lib.Coordinate? To { get; set; } }
            """).AddReferences(MetadataReference.CreateFromImage(image.ToArray()));
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(app, out Compilation generatedApp, out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.Empty(generatedApp.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        string source = generatedApp.SyntaxTrees.Single(t => t.FilePath.EndsWith("App.Trip.GatewayJson.g.cs")).ToString();
        Assert.Contains("global::AotGateway.GatewayJson.Read<global::Lib.Coordinate>", source);
        // The schema literal embeds the referenced type's definition, read from its metadata.
        Assert.Contains("\\\"$defs\\\":{\\\"Coordinate\\\":{\\\"type\\\":\\\"object\\\",\\\"description\\\":\\\"A coordinate.\\\"", source, System.StringComparison.Ordinal);
        Assert.Contains("\\\"latitude\\\"", source, System.StringComparison.Ordinal);
    }
}
