using System;
using System.IO;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>Generated source compared with approved files (Generator/Approved). A change is a visible diff in review.</summary>
[Trait("Category", "Core")]
public class GeneratorSnapshotTests
{
    internal const string Source = """
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Text.Json.Serialization;
        using AotGateway;

        namespace Demo;

        public enum Unit { Celsius, [JsonStringEnumMemberName("fahrenheit")] Fahrenheit }

        /// <summary>A city's weather.</summary>
        [GatewayJson(Naming = GatewayJsonNaming.SnakeCase, SchemaName = "weather")]
        public partial record Weather(string City, [property: Description("Degrees in the unit below.")] double Temperature, Unit Unit)
        {
            public IReadOnlyList<Reading>? History { get; init; }
            public Dictionary<string, int> Counts { get; set; } = new();
        }

        [GatewayJson]
        public partial struct Reading
        {
            public System.DateTimeOffset At { get; set; }
            public double? Value { get; set; }
            public Reading[] Earlier { get; set; }
        }
        """;

    [Theory]
    [InlineData("Demo.Weather.GatewayJson.g.cs")]
    [InlineData("Demo.Reading.GatewayJson.g.cs")]
    public void Generated_source_matches_the_approved_file(string hintName)
    {
        GeneratorHarness.Result result = GeneratorHarness.Run(Source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationDiagnostics);
        // Kept as .txt so the approved copies are not compiled into this project.
        Approvals.Verify(Path.Combine("tests", "AotGateway.Tests", "Generator", "Approved"), hintName, result.Sources[hintName]);
    }
}
