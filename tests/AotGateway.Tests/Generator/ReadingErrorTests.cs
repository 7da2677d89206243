using System;
using Xunit;

namespace AotGateway.Tests.Generator;

[GatewayJson]
[Trait("Category", "Core")]
public partial class ScalarBag
{
    public double Ratio { get; set; }
    public float Small { get; set; }
    public Guid Id { get; set; }
    public DateTime At { get; set; }
    public DateTimeOffset When { get; set; }
    public AliasLevel Level { get; set; } = AliasLevel.First;
    public ScalarBag? Inner { get; set; }
}

/// <summary>README: reading errors are GatewayJsonExceptions whose Path says where. Every malformed input, every kind.</summary>
[Trait("Category", "Core")]
public class ReadingErrorTests
{
    private const string Valid = "\"Ratio\":1,\"Small\":1,\"Id\":\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\",\"At\":\"2026-01-01T00:00:00Z\",\"When\":\"2026-01-01T00:00:00Z\",\"Level\":\"First\",\"Inner\":null";

    [Theory]
    [InlineData("{\"\\ud800\":1," + Valid + "}", "$")]
    [InlineData("{" + Valid + ",\"\\udc00\\ud800\":1}", "$")]
    [InlineData("{\"Inner\":{\"\\ud800\":1}}", "$.Inner")]
    public void An_escaped_lone_surrogate_in_a_property_name_is_a_GatewayJsonException(string json, string pathStart)
    {
        var ex = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<ScalarBag>(json));
        Assert.StartsWith(pathStart, ex.Path);
    }

    [Theory]
    [InlineData("Level", "$.Level")]
    [InlineData("Id", "$.Id")]
    [InlineData("At", "$.At")]
    [InlineData("When", "$.When")]
    public void An_escaped_lone_surrogate_in_a_value_is_a_GatewayJsonException_at_the_member(string member, string path)
    {
        string json = "{" + Valid.Replace($"\"{member}\":", $"\"{member}\":\"\\udc00\\ud800\",\"_{member}\":", StringComparison.Ordinal) + "}";
        var ex = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<ScalarBag>(json));
        Assert.Equal(path, ex.Path);
    }

    [Theory]
    [InlineData("{\"Ratio\":1,}", "$")]
    [InlineData("{\"Ratio\":", "$")]
    [InlineData("{\"Ratio\":tru}", "$")]
    [InlineData("{\"Inner\":{\"Ratio\":[1,]}}", "$.Inner")]
    [InlineData("{\"Inner\":{\"Ratio\":1} x", "$")]
    [InlineData("{\"Unknown\":[1,2,}", "$")]
    [InlineData("", "$")]
    public void Malformed_JSON_is_a_GatewayJsonException_with_a_path(string json, string pathStart)
    {
        var ex = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<ScalarBag>(json));
        Assert.StartsWith(pathStart, ex.Path);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1.8e308")]
    public void A_double_out_of_range_is_an_error_as_for_float(string number)
    {
        var ratio = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<ScalarBag>("{" + Valid.Replace("\"Ratio\":1", "\"Ratio\":" + number, StringComparison.Ordinal) + "}"));
        Assert.Equal("$.Ratio", ratio.Path);
        var small = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<ScalarBag>("{" + Valid.Replace("\"Small\":1", "\"Small\":" + number, StringComparison.Ordinal) + "}"));
        Assert.Equal("$.Small", small.Path);
    }

    [Fact]
    public void ParseContent_turns_every_reading_error_into_a_structured_output_error()
    {
        foreach (string content in new[] { "{\"\\ud800\":1}", "{\"Ratio\":1,}", "{\"Ratio\":1e400}" })
        {
            var completion = new ChatCompletion { Choices = [new ChatChoice(0, ChatMessage.Assistant(content), "stop")] };
            var ex = Assert.Throws<GatewayStructuredOutputException>(() => completion.ParseContent<ScalarBag>());
            Assert.Equal(content, ex.RawText);
            Assert.IsType<GatewayJsonException>(ex.InnerException);
        }
    }
}
