using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>
/// The generator recognises System.Text.Json's attributes, [Description], the collection types and the library's own
/// attributes by full name: a user's type of the same simple name, in another namespace, nested in a type, or under
/// a namespace that merely ends in the same words, is not the known one.
/// </summary>
[Trait("Category", "Core")]
public class KnownTypeTests
{
    private const string LookAlikes = """
        namespace MyApp
        {
            public sealed class JsonIgnoreAttribute : System.Attribute { }
            public sealed class DescriptionAttribute(string text) : System.Attribute { public string Text => text; }
            public static class Holder { public sealed class JsonPropertyNameAttribute(string name) : System.Attribute { public string Name => name; } }
            public class List<T> { }
        }
        namespace MyApp.System.Text.Json.Serialization
        {
            public sealed class JsonIgnoreAttribute : global::System.Attribute { }
        }
        namespace System.Text.Json.Serialization
        {
            public static class Outer { public sealed class JsonIgnoreAttribute : global::System.Attribute { } }
        }
        namespace MyApp.AotGateway
        {
            public sealed class GatewayJsonAttribute : global::System.Attribute { }
        }
        """;

    [Fact]
    public void Look_alike_attributes_change_nothing()
    {
        GeneratorHarness.Result result = GeneratorHarness.Run(LookAlikes, """
            using AotGateway;
            namespace Shop;
            [GatewayJson]
            public partial class Item
            {
                [MyApp.JsonIgnore] public int Kept { get; set; }
                [MyApp.System.Text.Json.Serialization.JsonIgnore] public int AlsoKept { get; set; }
                [System.Text.Json.Serialization.Outer.JsonIgnore] public int KeptToo { get; set; }
                [MyApp.Holder.JsonPropertyName("renamed")] public int Named { get; set; }
                [MyApp.Description("not a description")] public int Described { get; set; }
                [System.Text.Json.Serialization.JsonIgnore] public int Dropped { get; set; }
                [System.ComponentModel.Description("a description")] public int Real { get; set; }
            }
            [MyApp.AotGateway.GatewayJson] public partial class NotMarked { public int A { get; set; } }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        string source = Assert.Single(result.Sources).Value;
        Assert.Contains("\\\"Kept\\\"", source);
        Assert.Contains("\\\"AlsoKept\\\"", source);
        Assert.Contains("\\\"KeptToo\\\"", source);
        Assert.Contains("\\\"Named\\\"", source);
        Assert.DoesNotContain("renamed", source);
        Assert.DoesNotContain("not a description", source);
        Assert.DoesNotContain("\\\"Dropped\\\"", source);
        Assert.Contains("a description", source);
    }

    [Fact]
    public void A_look_alike_collection_is_not_a_list()
    {
        GeneratorHarness.Result result = GeneratorHarness.Run(LookAlikes, """
            using AotGateway;
            namespace Shop;
            [GatewayJson] public partial class Basket { public MyApp.List<int> Items { get; set; } = new(); public System.Collections.Generic.List<int> Real { get; set; } = []; }
            """);
        Assert.Equal("AGW0002", Assert.Single(result.GeneratorDiagnostics).Id);
        Assert.Contains("'Items'", result.GeneratorDiagnostics[0].GetMessage());
    }
}
