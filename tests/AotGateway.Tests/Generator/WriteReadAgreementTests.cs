using System;
using System.Text;
using System.Text.Json;
using Xunit;

namespace AotGateway.Tests.Generator;

[GatewayJson]
[Trait("Category", "Core")]
public partial class ChainLink
{
    public ChainLink? Next { get; set; }
}

[GatewayJson]
[Trait("Category", "Core")]
public partial class Timed
{
    public TimeOnly Time { get; set; }
    public DateTime At { get; set; }
    public AliasLevel Level { get; set; } = AliasLevel.First;
    public AliasLevel[] Levels { get; set; } = [];
}

/// <summary>What the writer writes, the reader reads back and the schema describes; nothing more, nothing less.</summary>
[Trait("Category", "Core")]
public class WriteReadAgreementTests
{
    private static ChainLink Chain(int links)
    {
        var head = new ChainLink();
        for (int i = 1; i < links; i++)
            head = new ChainLink { Next = head };
        return head;
    }

    [Fact]
    public void The_writer_writes_no_deeper_than_the_reader_reads()
    {
        // 127 links are 127 nested objects: read back whole.
        byte[] deepest = GatewayJson.SerializeToUtf8Bytes(Chain(127));
        Assert.NotNull(GatewayJson.Deserialize<ChainLink>(deepest).Next);
        var ex = Assert.Throws<GatewayJsonException>(() => GatewayJson.SerializeToUtf8Bytes(Chain(200)));
        Assert.Contains("128", ex.Message);
        Assert.Throws<GatewayJsonException>(() => GatewayJson.Serialize(Chain(200)));
        // The thread's cached writer is whole again after the failure.
        Assert.Equal("""{"Next":null}""", GatewayJson.Serialize(new ChainLink()));
    }

    [Fact]
    public void An_undefined_enum_value_is_refused_naming_the_member()
    {
        var ex = Assert.Throws<GatewayJsonException>(() => GatewayJson.Serialize(new Timed { Level = (AliasLevel)42 }));
        Assert.Equal("$.Level", ex.Path);
        Assert.Contains("42", ex.Message);
        var inList = Assert.Throws<GatewayJsonException>(() => GatewayJson.Serialize(new Timed { Levels = [AliasLevel.Second, (AliasLevel)7] }));
        Assert.Equal("$.Levels", inList.Path);
    }

    [Theory]
    [InlineData("12:00 PM")]
    [InlineData(" 01:00:00 ")]
    [InlineData("01:00:00.12345678")]
    [InlineData("1:00:00")]
    [InlineData("01:00")]
    public void A_time_the_schema_does_not_describe_is_refused(string text)
    {
        var ex = Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<Timed>($$"""{"Time":"{{text}}","At":"2026-01-01T00:00:00Z","Level":"First","Levels":[]}"""));
        Assert.Equal("$.Time", ex.Path);
    }

    [Theory]
    [InlineData("13:45:00")]
    [InlineData("13:45:00.5")]
    [InlineData("13:45:00.1234567")]
    public void The_times_the_writer_writes_are_read(string text)
    {
        Timed value = GatewayJson.Deserialize<Timed>($$"""{"Time":"{{text}}","At":"2026-01-01T00:00:00Z","Level":"First","Levels":[]}""");
        Assert.Equal(TimeOnly.ParseExact(text, ["HH:mm:ss", "HH:mm:ss.FFFFFFF"], System.Globalization.CultureInfo.InvariantCulture), value.Time);
        Assert.Contains($"\"Time\":\"{text}\"", GatewayJson.Serialize(value));
    }

    [Fact]
    public void A_DateTime_of_unspecified_kind_is_written_with_an_offset_as_date_time_requires()
    {
        string json = GatewayJson.Serialize(new Timed { At = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified) });
        Assert.Contains("\"At\":\"2026-01-02T03:04:05Z\"", json);
        Assert.Equal(DateTimeKind.Utc, GatewayJson.Deserialize<Timed>(json).At.Kind);
        Assert.Contains("\"At\":\"2026-01-02T03:04:05Z\"", GatewayJson.Serialize(new Timed { At = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) }));
    }

    [Fact]
    public void The_convenience_calls_allocate_only_their_result()
    {
        var value = new Timed { Time = new TimeOnly(1, 2, 3), At = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), Levels = [AliasLevel.Second] };
        byte[] first = GatewayJson.SerializeToUtf8Bytes(value); // warm: the thread's writer is made once
        const int Calls = 100;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
            GatewayJson.SerializeToUtf8Bytes(value);
        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;
        // The result array (its length plus the array header) and nothing else.
        Assert.True(perCall <= first.Length + 32, $"{perCall} bytes per call for a {first.Length}-byte result");

        string json = Encoding.UTF8.GetString(first);
        GatewayJson.Deserialize<Timed>(json);
        GatewayJson.Deserialize<Timed>(first);
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
            GatewayJson.Deserialize<Timed>(first);
        long fromBytes = (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
            GatewayJson.Deserialize<Timed>(json);
        long fromString = (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;
        // Reading a string costs what reading its bytes costs: no transcoded copy per call.
        Assert.Equal(fromBytes, fromString);
    }
}

[GatewayJson]
[Trait("Category", "Core")]
public partial class NullElements
{
    public System.Collections.Generic.List<string> Tags { get; set; } = [];
    public System.Collections.Generic.Dictionary<string, string> Labels { get; set; } = [];
    public ChainLink[] Links { get; set; } = [];
    public System.Collections.Generic.List<string?> Optional { get; set; } = [];
}

/// <summary>The writer's null rule holds inside collections too: an element the reader would refuse is not written.</summary>
[Trait("Category", "Core")]
public class NullElementWriteTests
{
    [Fact]
    public void A_null_element_of_a_non_nullable_type_is_refused_naming_the_collection()
    {
        Assert.Equal("$.Tags", Assert.Throws<GatewayJsonException>(() => GatewayJson.Serialize(new NullElements { Tags = ["a", null!] })).Path);
        Assert.Equal("$.Labels", Assert.Throws<GatewayJsonException>(() => GatewayJson.Serialize(new NullElements { Labels = new() { ["k"] = null! } })).Path);
        Assert.Equal("$.Links", Assert.Throws<GatewayJsonException>(() => GatewayJson.Serialize(new NullElements { Links = [new ChainLink(), null!] })).Path);
    }

    [Fact]
    public void A_null_element_of_a_nullable_type_is_written_and_read_back()
    {
        string json = GatewayJson.Serialize(new NullElements { Optional = ["a", null] });
        Assert.Contains("\"Optional\":[\"a\",null]", json);
        Assert.Equal([null, "b"], GatewayJson.Deserialize<NullElements>(json.Replace("[\"a\",null]", "[null,\"b\"]", StringComparison.Ordinal)).Optional);
    }
}
