using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>The generated writers and readers, exercised on real generated code (the test project runs the generator).</summary>
[Trait("Category", "Core")]
public class RoundTripTests
{
    private static Person Sample() => new()
    {
        FullName = "Ada \"Countess\" Lovelace\n",
        Age = 36,
        Nickname = null,
        IsActive = true,
        SmallSigned = -8,
        SmallUnsigned = 200,
        Short = -30000,
        UShort = 60000,
        UInt = 4000000000,
        Long = -9000000000000,
        ULong = 18000000000000000000,
        Ratio = 0.25f,
        Score = 1e-7,
        Balance = 12345.6789m,
        BornAt = new DateTime(1815, 12, 10, 8, 30, 0, DateTimeKind.Utc),
        SeenAt = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.FromHours(2)),
        Birthday = new DateOnly(1815, 12, 10),
        WakesAt = new TimeOnly(6, 45, 30),
        Id = Guid.Parse("5f1c2a3b-0000-4000-8000-000000000abc"),
        Homepage = new Uri("https://example.com/ada?x=1"),
        Mood = Mood.VeryHappy,
        LastMood = null,
        Rank = 3,
        Tags = ["math", "poetry", "é😀"],
        Scores = [1, 2, 3],
        Addresses = [new Address("1 Main St", "London", null), new Address("2 High St", "Bath", "BA1")],
        Aliases = ["A", null],
        Counts = new() { ["a"] = 1, ["b"] = 2 },
        Places = new Dictionary<string, Address> { ["home"] = new Address("3 Low Rd", "York", "YO1") },
        Work = new Address("4 Mill Ln", "Leeds", null),
        Grid = [[1, 2], [3]],
        Renamed = "renamed",
        Secret = "should not appear",
    };

    [Fact]
    public void Every_supported_type_round_trips()
    {
        Person original = Sample();
        string json = GatewayJson.Serialize(original);
        Person copy = GatewayJson.Deserialize<Person>(json);

        Assert.Equal(original.FullName, copy.FullName);
        Assert.Equal((original.Age, original.Nickname, original.IsActive), (copy.Age, copy.Nickname, copy.IsActive));
        Assert.Equal((original.SmallSigned, original.SmallUnsigned, original.Short, original.UShort, original.UInt, original.Long, original.ULong),
            (copy.SmallSigned, copy.SmallUnsigned, copy.Short, copy.UShort, copy.UInt, copy.Long, copy.ULong));
        Assert.Equal((original.Ratio, original.Score, original.Balance), (copy.Ratio, copy.Score, copy.Balance));
        Assert.Equal((original.BornAt, original.SeenAt, original.Birthday, original.WakesAt, original.Id, original.Homepage),
            (copy.BornAt, copy.SeenAt, copy.Birthday, copy.WakesAt, copy.Id, copy.Homepage));
        Assert.Equal((original.Mood, original.LastMood, original.Rank), (copy.Mood, copy.LastMood, copy.Rank));
        Assert.Equal(original.Tags, copy.Tags);
        Assert.Equal(original.Scores, copy.Scores);
        Assert.Equal(original.Addresses, copy.Addresses);
        Assert.Equal(original.Aliases, copy.Aliases);
        Assert.Equal(original.Counts, copy.Counts);
        Assert.Equal(original.Places!["home"], copy.Places!["home"]);
        Assert.Equal(original.Work, copy.Work);
        Assert.Equal([[1, 2], [3]], copy.Grid);
        Assert.Equal("renamed", copy.Renamed);
        Assert.Equal("not serialized", copy.Secret);
        Assert.Equal(json, GatewayJson.Serialize(copy));
    }

    [Fact]
    public void Names_follow_the_naming_policy_and_the_attributes()
    {
        using JsonDocument doc = JsonDocument.Parse(GatewayJson.Serialize(Sample()));
        JsonElement root = doc.RootElement;
        Assert.True(root.TryGetProperty("full_name", out _));
        Assert.True(root.TryGetProperty("is_active", out _));
        Assert.True(root.TryGetProperty("custom-name", out _));
        Assert.False(root.TryGetProperty("secret", out _));
        Assert.Equal("very-happy", root.GetProperty("mood").GetString());
        Assert.Equal("1815-12-10", root.GetProperty("birthday").GetString());
        Assert.Equal("06:45:30", root.GetProperty("wakes_at").GetString());
        Assert.Equal("London", root.GetProperty("addresses")[0].GetProperty("city").GetString());
        Assert.True(root.GetProperty("addresses")[0].TryGetProperty("postCode", out _));
    }

    [Fact]
    public void The_output_matches_System_Text_Json_for_the_same_values()
    {
        var address = new Address("1 Main St", "London", null);
        string ours = GatewayJson.Serialize(address);
        Assert.Equal("""{"street":"1 Main St","city":"London","postCode":null}""", ours);
    }

    [Fact]
    public void Recursive_types_round_trip()
    {
        var root = new TreeNode { Label = "root" };
        root.Children.Add(new TreeNode { Label = "a", Children = [new TreeNode { Label = "a1" }] });
        root.Children.Add(new TreeNode { Label = "b", Parent = new TreeNode { Label = "p" } });
        TreeNode copy = GatewayJson.Deserialize<TreeNode>(GatewayJson.Serialize(root));
        Assert.Equal("a1", copy.Children[0].Children[0].Label);
        Assert.Equal("p", copy.Children[1].Parent!.Label);
    }

    [Fact]
    public void Structs_and_positional_records_round_trip()
    {
        var weather = new Weather("Oslo", -3.5, new Point(59.9, 10.7));
        Assert.Equal(weather, GatewayJson.Deserialize<Weather>(GatewayJson.Serialize(weather)));
        Assert.Equal(new Outer.Inner { Value = 4 }.Value, GatewayJson.Deserialize<Outer.Inner>("""{"Value":4}""").Value);
    }

    [Fact]
    public void Unknown_properties_are_skipped()
    {
        Address a = GatewayJson.Deserialize<Address>("""{"extra":{"deep":[1,2,{"x":null}]},"street":"s","city":"c","postCode":"p","more":true}""");
        Assert.Equal(new Address("s", "c", "p"), a);
    }

    [Fact]
    public void An_absent_optional_setter_keeps_the_property_default()
    {
        WithDefaults value = GatewayJson.Deserialize<WithDefaults>("""{"Count":1}""");
        Assert.Equal("default note", value.Note);
        Assert.Equal(1, value.Count);
    }

    [Theory]
    [InlineData("""{"street":"s","postCode":null}""", "The required property 'city' of Address is missing", "$")]
    [InlineData("""{"street":5,"city":"c","postCode":null}""", "Expected a string but found a number", "$.street")]
    [InlineData("""{"street":null,"city":"c","postCode":null}""", "Expected a string but found null", "$.street")]
    public void Errors_name_the_problem_and_the_JSON_path(string json, string problem, string path)
    {
        var error = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<Address>(json));
        Assert.Equal(problem, error.Problem);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Nested_errors_carry_the_whole_path()
    {
        string json = GatewayJson.Serialize(Sample()).Replace("\"city\":\"Bath\"", "\"city\":7");
        var error = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<Person>(json));
        Assert.Equal("$.addresses[1].city", error.Path);

        string grid = GatewayJson.Serialize(Sample()).Replace("[[1,2],[3]]", "[[1,2],[3,\"x\"]]");
        Assert.Equal("$.grid[1][1]", Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<Person>(grid)).Path);

        string counts = GatewayJson.Serialize(Sample()).Replace("\"b\":2", "\"b\":true");
        Assert.Equal("$.counts.b", Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<Person>(counts)).Path);
    }

    [Theory]
    [InlineData("small_signed", "200", "SByte")]
    [InlineData("small_unsigned", "-1", "Byte")]
    [InlineData("short", "40000", "Int16")]
    [InlineData("age", "3000000000", "Int32")]
    [InlineData("u_int", "-5", "UInt32")]
    [InlineData("ratio", "1e300", "Single")]
    [InlineData("age", "1.5", "Int32")]
    public void Numbers_out_of_range_are_typed_errors(string member, string number, string type)
    {
        using JsonDocument doc = JsonDocument.Parse(GatewayJson.Serialize(Sample()));
        var node = System.Text.Json.Nodes.JsonNode.Parse(doc.RootElement.GetRawText())!.AsObject();
        node[member] = System.Text.Json.Nodes.JsonNode.Parse(number);
        var error = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<Person>(node.ToJsonString()));
        Assert.Equal("$." + member, error.Path);
        Assert.Contains(type, error.Problem);
    }

    [Fact]
    public void An_unknown_enum_name_is_a_typed_error()
    {
        string json = GatewayJson.Serialize(Sample()).Replace("\"very-happy\"", "\"ecstatic\"");
        var error = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<Person>(json));
        Assert.Equal("$.mood", error.Path);
        Assert.Contains("ecstatic", error.Problem);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{\"street\":\"s\",")]
    [InlineData("")]
    public void Malformed_or_mistyped_documents_are_JsonExceptions(string json)
    {
        Assert.ThrowsAny<JsonException>(() => GatewayJson.Deserialize<Address>(json));
    }

    [Fact]
    public void Trailing_data_is_rejected()
    {
        Assert.ThrowsAny<JsonException>(() => GatewayJson.Deserialize<Point>("""{"X":1,"Y":2} {}"""));
    }

    [Fact]
    public void A_list_of_a_thousand_round_trips_through_the_element_reader()
    {
        var tree = new TreeNode { Label = "r", Children = Enumerable.Range(0, 1000).Select(i => new TreeNode { Label = "n" + i }).ToList() };
        byte[] bytes = GatewayJson.SerializeToUtf8Bytes(tree);
        TreeNode copy = GatewayJson.Deserialize<TreeNode>(bytes);
        Assert.Equal(1000, copy.Children.Count);
        Assert.Equal("n999", copy.Children[999].Label);
        Assert.Equal(Encoding.UTF8.GetString(bytes), GatewayJson.Serialize(copy));
    }
}
