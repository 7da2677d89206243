using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Xunit;

namespace AotGateway.Tests.Generator;

#pragma warning disable CA1069 // the alias is the point of the test
public enum AliasLevel { First = 1, Primary = 1, Second = 2 }
#pragma warning restore CA1069

public enum KeywordWord { @default, @class, @event }

[GatewayJson]
[Trait("Category", "Core")]
public partial class KeywordMembers
{
    public int @class { get; set; }
    public string @event { get; set; } = "";
    public KeywordWord @default { get; set; }
    public AliasLevel Level { get; set; } = AliasLevel.Second;
}

[Trait("Category", "Core")]
public class CodeBase
{
    public string Code { get; set; } = "";
    public int Kept { get; set; }
}

[GatewayJson]
[Trait("Category", "Core")]
public partial class CodeHider : CodeBase
{
    public new int Code { get; set; }
    public string Other { get; set; } = "";
}

[GatewayJson]
public partial record RetryDefaults(string Name, int? Retries = 3, string Mode = "fast", double Ratio = 0.5);

/// <summary>Unusual but legal types read and write as System.Text.Json (reflection, the reference) does.</summary>
[Trait("Category", "Core")]
public class UnusualTypeRoundTripTests
{
    private static readonly JsonSerializerOptions s_stj = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new JsonStringEnumConverter() },
    };

    private static string Ours<T>(T value) where T : IGatewayJson<T> => Encoding.UTF8.GetString(GatewayJson.SerializeToUtf8Bytes(value));

    [Fact]
    public void Keyword_members_round_trip_under_their_plain_names()
    {
        var value = new KeywordMembers { @class = 7, @event = "launch", @default = KeywordWord.@class };
        string json = Ours(value);
        Assert.Equal(JsonSerializer.Serialize(value, s_stj), json);
        KeywordMembers back = GatewayJson.Deserialize<KeywordMembers>(json);
        Assert.Equal(7, back.@class);
        Assert.Equal("launch", back.@event);
        Assert.Equal(KeywordWord.@class, back.@default);
    }

    [Fact]
    public void An_enum_alias_is_written_by_its_first_name_and_read_by_either()
    {
        Assert.Contains("\"Level\":\"First\"", Ours(new KeywordMembers { Level = AliasLevel.Primary }));
        Assert.Equal(AliasLevel.First, GatewayJson.Deserialize<KeywordMembers>("""{"class":0,"event":"","default":"default","Level":"Primary"}""").Level);
        Assert.Equal(AliasLevel.First, GatewayJson.Deserialize<KeywordMembers>("""{"class":0,"event":"","default":"default","Level":"First"}""").Level);
        using JsonDocument schema = JsonDocument.Parse(GatewayJson.Schema<KeywordMembers>().ToArray());
        Assert.Contains("Primary", schema.RootElement.GetProperty("properties").GetProperty("Level").GetRawText());
    }

    [Fact]
    public void A_new_member_hides_the_base_one_and_own_members_come_first_as_in_STJ()
    {
        var value = new CodeHider { Code = 5, Other = "x", Kept = 2 };
        ((CodeBase)value).Code = "base";
        string json = Ours(value);
        Assert.Equal(JsonSerializer.Serialize(value, s_stj), json);
        Assert.Equal("""{"Code":5,"Other":"x","Kept":2}""", json);
        Assert.Equal(5, GatewayJson.Deserialize<CodeHider>(json).Code);
    }

    [Fact]
    public void A_missing_constructor_parameter_takes_its_default_as_in_STJ()
    {
        const string json = """{"Name":"n"}""";
        RetryDefaults ours = GatewayJson.Deserialize<RetryDefaults>(json);
        RetryDefaults reference = JsonSerializer.Deserialize<RetryDefaults>(json, s_stj)!;
        Assert.Equal(reference, ours);
        Assert.Equal(new RetryDefaults("n", 3, "fast", 0.5), ours);
        Assert.Equal(new RetryDefaults("n", null, "slow", 1), GatewayJson.Deserialize<RetryDefaults>("""{"Name":"n","Retries":null,"Mode":"slow","Ratio":1}"""));
    }
}
