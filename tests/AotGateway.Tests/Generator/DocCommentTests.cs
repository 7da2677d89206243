using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>
/// Descriptions from XML comments must not depend on GenerateDocumentationFile: the SDK's default
/// (DocumentationMode.None) turns <c>///</c> into plain comments, and the generator reads them itself.
/// </summary>
[Trait("Category", "Core")]
public class DocCommentTests
{
    private const string Source = """
        using System.Threading.Tasks;
        using AotGateway;

        namespace Docs;

        /// <summary>A parcel to ship.</summary>
        /// <param name="Weight">Weight in <c>kg</c>, see <see cref="Parcel"/>.</param>
        [GatewayJson]
        public partial record Parcel(double Weight)
        {
            /// <summary>
            /// Where it goes:
            ///   street and city.
            /// </summary>
            public string Address { get; init; } = "";

            /** <summary>Fragile or not.</summary> */
            public bool Fragile { get; init; }

            /// <summary>Kept: an ordinary comment sits between it and the member.</summary>
            // not documentation
            public int Count { get; init; }

            #region tags
            /// <summary>Labels printed on the box.</summary>
            [System.Text.Json.Serialization.JsonPropertyName("labels")]
            public string[] Tags { get; init; } = [];
            #endregion

            //// <summary>Four slashes are not documentation.</summary>
            public int Priority { get; init; }
        }

        public static partial class ShippingTools
        {
            /// <summary>Quotes the price of shipping a parcel.</summary>
            /// <param name="parcel">The parcel to quote.</param>
            /// <param name="express">Whether it goes overnight.</param>
            [GatewayTool]
            public static Task<string> QuoteAsync(Parcel parcel, bool express) => Task.FromResult("12 EUR");
        }
        """;

    private static readonly CSharpParseOptions s_sdkDefault = new(LanguageVersion.Latest, DocumentationMode.None);

    [Fact]
    public void Without_documentation_parsing_the_output_is_what_the_compiler_reading_gives()
    {
        GeneratorHarness.Result parsed = GeneratorHarness.Run(Source);
        GeneratorHarness.Result plain = GeneratorHarness.Run(s_sdkDefault, Source);
        Assert.Empty(plain.GeneratorDiagnostics);
        Assert.Empty(plain.CompilationDiagnostics);
        Assert.Equal(parsed.Sources.Keys, plain.Sources.Keys);
        foreach (KeyValuePair<string, string> source in parsed.Sources)
            Assert.Equal(source.Value, plain.Sources[source.Key]);
    }

    [Theory]
    [InlineData("A parcel to ship.")]
    [InlineData("Weight in kg, see Parcel.")]
    [InlineData("Where it goes: street and city.")]
    [InlineData("Fragile or not.")]
    [InlineData("Labels printed on the box.")]
    [InlineData("Kept: an ordinary comment sits between it and the member.")]
    [InlineData("Quotes the price of shipping a parcel.")]
    [InlineData("The parcel to quote.")]
    [InlineData("Whether it goes overnight.")]
    public void Every_documented_member_has_its_description_without_documentation_parsing(string description)
    {
        GeneratorHarness.Result plain = GeneratorHarness.Run(s_sdkDefault, Source);
        Assert.Contains(plain.Sources.Values, text => text.Contains(description, System.StringComparison.Ordinal));
    }

    [Fact]
    public void Four_slashes_are_not_documentation()
    {
        const string text = "Four slashes";
        GeneratorHarness.Result parsed = GeneratorHarness.Run(Source);
        GeneratorHarness.Result plain = GeneratorHarness.Run(s_sdkDefault, Source);
        Assert.DoesNotContain(parsed.Sources.Values, source => source.Contains(text, System.StringComparison.Ordinal));
        Assert.DoesNotContain(plain.Sources.Values, source => source.Contains(text, System.StringComparison.Ordinal));
    }
}
