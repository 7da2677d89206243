using System;
using System.Collections.Generic;
using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>Members whose types are not nullable, left null by the caller.</summary>
[GatewayJson]
[Trait("Category", "Core")]
public partial class StrictMembers
{
    public string Name { get; set; } = "";

    public List<string> Tags { get; set; } = [];

    public int[] Numbers { get; set; } = [];

    public Uri Link { get; set; } = new("https://example.test/");

    public string? Optional { get; set; }
}

/// <summary>
/// The generated writer and reader agree: a null where the member's type allows none is refused by both with a
/// <see cref="GatewayJsonException"/> naming the member, never written as a null the reader then rejects and
/// never a <see cref="NullReferenceException"/>.
/// </summary>
[Trait("Category", "Core")]
public sealed class NullMemberWriteTests
{
    public static TheoryData<string> Members() => new() { "Name", "Tags", "Numbers", "Link" };

    [Theory]
    [MemberData(nameof(Members))]
    public void A_null_non_nullable_member_is_refused_on_write_naming_it(string member)
    {
        var value = new StrictMembers();
        switch (member)
        {
            case "Name": value.Name = null!; break;
            case "Tags": value.Tags = null!; break;
            case "Numbers": value.Numbers = null!; break;
            case "Link": value.Link = null!; break;
        }
        var error = Assert.Throws<GatewayJsonException>(() => GatewayJson.Serialize(value));
        Assert.Equal("$." + member, error.Path);

        // The reader refuses the same null, with the same path.
        string json = GatewayJson.Serialize(new StrictMembers()).Replace($"\"{member}\":", $"\"{member}\":null,\"_was\":", StringComparison.Ordinal);
        var read = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<StrictMembers>(json));
        Assert.Equal("$." + member, read.Path);
    }

    [Fact]
    public void A_null_nullable_member_is_written_as_null()
    {
        Assert.Contains("\"Optional\":null", GatewayJson.Serialize(new StrictMembers()));
    }
}
