using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Generator;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Chat;

/// <summary>
/// Partial objects of a streamed structured reply: for every prefix of every sample, the partial holds only what
/// the final value holds, and nothing once shown changes or disappears.
/// </summary>
[Trait("Category", "Core")]
public class PartialObjectTests
{
    private static readonly JsonSerializerOptions s_reflection = new() { IncludeFields = false };

    private static Person SamplePerson() => new()
    {
        FullName = "Zoë \"Z\" O'Brien \\ tab\t 😀 日本",
        Age = 41,
        Nickname = null,
        IsActive = true,
        SmallSigned = -12,
        SmallUnsigned = 250,
        Short = -30000,
        UShort = 65000,
        UInt = 4_000_000_000,
        Long = -9_000_000_000_000,
        ULong = 18_000_000_000_000_000_000,
        Ratio = 0.125f,
        Score = -1.5e-7,
        Balance = 12345.6789m,
        BornAt = new DateTime(1985, 3, 4, 5, 6, 7, DateTimeKind.Utc),
        SeenAt = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(2)),
        Birthday = new DateOnly(1985, 3, 4),
        WakesAt = new TimeOnly(6, 30),
        Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        Homepage = new Uri("https://example.com/a?b=c"),
        Mood = Mood.VeryHappy,
        LastMood = Mood.Grumpy,
        Rank = 3,
        Tags = ["a", "b \"q\"", "ü"],
        Scores = [1, -2, 30000],
        Addresses = [new Address("1 Main St", "Springfield", null), new Address("2 \\ Side", "Nöwhere", "X1")],
        Aliases = ["z", null, "zed"],
        Counts = new Dictionary<string, int> { ["one"] = 1, ["two \"2\""] = 2 },
        Places = new Dictionary<string, Address> { ["home"] = new Address("h", "c", "p") },
        Work = new Address("w", "c", null),
        Grid = [[1, 2], [], [3]],
        Renamed = "r",
    };

    private static TreeNode SampleTree() => new()
    {
        Label = "root",
        Children =
        [
            new TreeNode { Label = "a", Children = [new TreeNode { Label = "a1" }, new TreeNode { Label = "a2", Children = [new TreeNode { Label = "deep" }] }] },
            new TreeNode { Label = "b" },
        ],
        Parent = new TreeNode { Label = "above" },
    };

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (string json in new[] { GatewayJson.Serialize(SamplePerson()), GatewayJson.Serialize(SampleTree()), GatewayJson.Serialize(new Weather("Oslo", -3.25, new Point(59.9, 10.75))) })
        {
            data.Add(json);
            // The same value with the whitespace a model may add, and a name written with escapes.
            data.Add(JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            // And with text as raw UTF-8, so pieces also split multi-byte characters (where the sample has any).
            string raw = JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            if (raw != json)
                data.Add(raw);
        }
        data.Add("{ \"L\\u0061bel\" : \"escaped name\" , \"Children\" : [ ] , \"unknown\" : { \"x\" : [ 1 , { } ] } , \"Parent\" : null }");
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_prefix_gives_a_partial_consistent_with_the_final_value(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        if (json.Contains("\"full_name\"", StringComparison.Ordinal))
            CheckEveryPrefix<Person>(bytes);
        else if (json.Contains("\"Label\"", StringComparison.Ordinal) || json.Contains("L\\u0061bel", StringComparison.Ordinal))
            CheckEveryPrefix<TreeNode>(bytes);
        else
            CheckEveryPrefix<Weather>(bytes);
    }

    /// <summary>With strings shown as they grow: a string shown is a prefix of the final one and only grows.</summary>
    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_prefix_with_growing_strings_shows_string_prefixes_that_only_grow(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        if (json.Contains("\"full_name\"", StringComparison.Ordinal))
            CheckEveryPrefix<Person>(bytes, growStrings: true);
        else if (json.Contains("\"Label\"", StringComparison.Ordinal) || json.Contains("L\\u0061bel", StringComparison.Ordinal))
            CheckEveryPrefix<TreeNode>(bytes, growStrings: true);
        else
            CheckEveryPrefix<Weather>(bytes, growStrings: true);
    }

    [Fact]
    public void A_growing_string_is_shown_whole_escapes_and_characters_only()
    {
        // "a\u00e9\ud83d\ude00 ü\n" split at every byte: no half escape, no half surrogate pair, no half UTF-8 sequence.
        byte[] bytes = Encoding.UTF8.GetBytes("{\"Label\":\"a\\u00e9\\ud83d\\ude00 \u00fc\\n\"}");
        string final = "a\u00e9\ud83d\ude00 \u00fc\n";
        PartialJsonBuilder<TreeNode> builder = GatewayJson.CreatePartialBuilder<TreeNode>()!;
        using var tracker = new PartialJsonTracker(builder) { GrowStrings = true };
        var seen = new List<string>();
        foreach (byte b in bytes)
        {
            tracker.Append([b]);
            Assert.False(tracker.Stopped);
            if (tracker.Changed)
            {
                tracker.Changed = false;
                seen.Add(builder.Snapshot().Label);
            }
        }
        // The text grows to the final one, then the member is whole, then the object.
        Assert.Equal(["", "a", "a\u00e9", "a\u00e9\ud83d\ude00", "a\u00e9\ud83d\ude00 ", "a\u00e9\ud83d\ude00 \u00fc", final, final, final], seen);
    }

    [Theory]
    [InlineData("{\"Label\":\"ok \\ud83d\\u0041 then\"}")]
    [InlineData("{\"Label\":\"ok \\ude00\"}")]
    public void A_growing_string_with_an_escape_that_is_not_UTF16_stops_the_partials_and_the_reader_says_why(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        PartialJsonBuilder<TreeNode> builder = GatewayJson.CreatePartialBuilder<TreeNode>()!;
        using var tracker = new PartialJsonTracker(builder) { GrowStrings = true };
        foreach (byte b in bytes)
            tracker.Append([b]);
        Assert.True(tracker.Stopped);
        Assert.Equal("ok ", builder.Snapshot().Label);
        Assert.Throws<GatewayJsonException>(() => GatewayJson.Deserialize<TreeNode>(bytes));
    }

    private static void CheckEveryPrefix<T>(byte[] bytes, bool growStrings = false) where T : IGatewayJson<T>
    {
        JsonNode expected = ToNode(GatewayJson.Deserialize<T>(bytes));
        JsonNode expectedText = JsonNode.Parse(GatewayJson.Serialize(GatewayJson.Deserialize<T>(bytes)))!;
        foreach (int piece in new[] { 1, 7, 64 })
        {
            PartialJsonBuilder<T> builder = T.CreatePartialJsonBuilder()!;
            using var tracker = new PartialJsonTracker(builder) { GrowStrings = growStrings };
            var shown = new List<(T Value, string Json)>();
            for (int at = 0; at < bytes.Length; at += piece)
            {
                tracker.Append(bytes.AsSpan(at, Math.Min(piece, bytes.Length - at)));
                Assert.False(tracker.Stopped, $"stopped at byte {at}");
                if (!tracker.Changed)
                    continue;
                tracker.Changed = false;
                T partial = builder.Snapshot();
                JsonNode node = ToNode(partial);
                Assert.True(Consistent(node, expected, growing: growStrings), $"the partial after {at + piece} bytes is not part of the final value: {node.ToJsonString()}");
                // The closed text holds what the partial holds: every member it has agrees with the final's, whole
                // list elements only.
                JsonNode closed = JsonNode.Parse(tracker.ClosedPrefixString()!)!;
                Assert.True(Consistent(closed, expectedText, allowDefaults: false), $"the closed text after {at + piece} bytes is not part of the final value: {closed.ToJsonString()}");
                if (shown.Count > 0)
                {
                    Assert.False(ReferenceEquals(shown[^1].Value, partial) && typeof(T).IsClass, "a partial is handed out twice");
                    JsonNode previous = JsonNode.Parse(shown[^1].Json)!;
                    Assert.True(Stable(previous, node, growing: growStrings), $"something shown changed or disappeared after {at + piece} bytes: {shown[^1].Json} then {node.ToJsonString()}");
                }
                shown.Add((partial, node.ToJsonString()));
            }
            Assert.True(tracker.Ended);
            Assert.True(JsonNode.DeepEquals(expected, ToNode(builder.Snapshot())), "the last partial is the final value");
            Assert.True(JsonNode.DeepEquals(expected, ToNode(builder.Finish())));
            // Partials handed out earlier never change afterwards.
            foreach ((T value, string json) in shown)
                Assert.Equal(json, ToNode(value).ToJsonString());
        }
    }

    /// <summary>
    /// Following the text costs nothing per piece: 5,000 pieces of a long string, a long number list and whitespace,
    /// with no partial asked for, allocate only the elements themselves (the text buffer comes from the pool,
    /// warmed by a first run).
    /// </summary>
    [Fact]
    public void Following_pieces_that_complete_nothing_allocates_nothing()
    {
        var json = new StringBuilder("{\"Label\":\"");
        json.Append('x', 40_000).Append("\",      \"Children\": [");
        json.Append(' ', 10_000).Append("]}");
        byte[] bytes = Encoding.UTF8.GetBytes(json.ToString());
        long Run()
        {
            PartialJsonBuilder<TreeNode> builder = GatewayJson.CreatePartialBuilder<TreeNode>()!;
            using var tracker = new PartialJsonTracker(builder);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int at = 0; at < bytes.Length; at += 10)
                tracker.Append(bytes.AsSpan(at, Math.Min(10, bytes.Length - at)));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(tracker.Ended);
            return allocated;
        }
        Run();
        long allocated = Run();
        // The one string member, read when whole (80 KB of UTF-16 and its object), is all: nothing per piece.
        Assert.InRange(allocated, 0, 80_000 + 4_096);
    }

    public static TheoryData<string, string> TypeInfoSamples() => new()
    {
        { "invoice", """{"number":"INV-\u00e9 \"7\"","total":12.5e0,"status":"Sent","note":null,"lines":[{"sku":"a","quantity":1},{"sku":"b\ud83d\ude00","quantity":2}]}""" },
        { "category", """{ "name" : "root" , "children" : [ { "name" : "a" , "children" : [ ] , "parent" : null } ] , "parent" : { "name" : "up" , "children" : [ ] , "parent" : null } }""" },
        { "route", """{"name":"r","points":[{"x":1.5,"y":-2},{"x":0,"y":3e2}],"tags":["a","b"],"stops":[{"x":1,"y":1}]}""" },
        { "grading", """{"grade":"A","name":"n","scores":[1,2,3]}""" },
        { "ticket", """{"title":"t \"1\"","priority":2,"labels":["x","y"],"stops":[{"x":1,"y":1}]}""" },
    };

    /// <summary>
    /// The JsonTypeInfo path, every prefix: classes (Invoice, Category), a class with a required member and an array
    /// member read whole (Ticket) and a record (Route, init members), built member by member; and a type no
    /// placeholder template reads (a required char), whose partials come from the whole part of the text.
    /// </summary>
    [Theory]
    [MemberData(nameof(TypeInfoSamples))]
    public void Every_prefix_on_the_JsonTypeInfo_path_gives_a_partial_consistent_with_the_final_value(string type, string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        switch (type)
        {
            case "invoice":
                CheckEveryPrefix(bytes, UserJsonContext.Default.Invoice, memberByMember: true);
                break;
            case "category":
                CheckEveryPrefix(bytes, UserJsonContext.Default.Category, memberByMember: true);
                break;
            case "route":
                CheckEveryPrefix(bytes, PartialJsonContext.Default.Route, memberByMember: true);
                break;
            case "ticket":
                CheckEveryPrefix(bytes, PartialJsonContext.Default.Ticket, memberByMember: true);
                break;
            default:
                CheckEveryPrefix(bytes, PartialJsonContext.Default.Grading, memberByMember: false);
                break;
        }
    }

    private static void CheckEveryPrefix<T>(byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, bool memberByMember)
    {
        Assert.Equal(memberByMember, TypeInfoPartialBuilder.For(typeInfo) is not null);
        JsonNode expected = ToNode(JsonSerializer.Deserialize(bytes, typeInfo));
        var partialsByteByByte = new Dictionary<bool, int>();
        foreach ((int piece, bool grow) in new[] { (1, false), (5, false), (64, false), (1, true), (5, true) })
        {
            var reader = new TypeInfoPartialReader<T>(typeInfo) { GrowStrings = grow };
            var shown = new List<(T Value, string Json)>();
            for (int at = 0; at < bytes.Length; at += piece)
            {
                reader.AddText(bytes.AsSpan(at, Math.Min(piece, bytes.Length - at)));
                if (!reader.Changed || reader.Current is not { } partial)
                    continue;
                JsonNode node = ToNode(partial);
                Assert.True(Consistent(node, expected, growing: grow), $"the partial after {at + piece} bytes is not part of the final value: {node.ToJsonString()}");
                if (shown.Count > 0)
                    Assert.True(Stable(JsonNode.Parse(shown[^1].Json), node, growing: grow), $"something shown changed or disappeared after {at + piece} bytes: {shown[^1].Json} then {node.ToJsonString()}");
                shown.Add((partial, node.ToJsonString()));
            }
            Assert.True(JsonNode.DeepEquals(expected, ToNode(reader.Current)), "the last partial is the final value");
            foreach ((T value, string json) in shown)
                Assert.Equal(json, ToNode(value).ToJsonString());
            if (piece == 1)
                partialsByteByByte[grow] = shown.Count;
        }
        // Filled member by member, strings shown as they grow make more partials, byte by byte.
        if (memberByMember)
            Assert.True(partialsByteByByte[true] > partialsByteByByte[false], $"{partialsByteByByte[true]} partials growing, {partialsByteByByte[false]} not");
    }

    private static JsonNode ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, s_reflection) ?? JsonValue.Create("null")!;

    /// <summary>Every member of the partial is a default (not yet arrived) or agrees with the final's.</summary>
    private static bool Consistent(JsonNode? partial, JsonNode? final, bool allowDefaults = true, bool growing = false) => partial switch
    {
        // The closed text also keeps members the type ignores, as the model wrote them.
        JsonObject p => final is JsonObject f && AllMembers(p, (name, value) => (allowDefaults ? IsDefault(value) : !f.ContainsKey(name)) || Consistent(value, f[name], allowDefaults, growing)),
        JsonArray p => final is JsonArray f && IsPrefix(p, f),
        _ => JsonNode.DeepEquals(partial, final) || (growing && IsStringPrefix(partial, final)),
    };

    /// <summary>A string still growing: the start of the final one.</summary>
    private static bool IsStringPrefix(JsonNode? part, JsonNode? whole) =>
        part is JsonValue p && whole is JsonValue w && p.TryGetValue(out string? a) && w.TryGetValue(out string? b) && b.StartsWith(a, StringComparison.Ordinal);

    /// <summary>What the earlier partial showed (past defaults) the later one still shows: lists may only grow.</summary>
    private static bool Stable(JsonNode? earlier, JsonNode? later, bool growing = false) => earlier switch
    {
        JsonObject e => later is JsonObject l && AllMembers(e, (name, value) => IsDefault(value) || Stable(value, l[name], growing)),
        JsonArray e => later is JsonArray l && IsPrefix(e, l),
        _ => JsonNode.DeepEquals(earlier, later) || (growing && IsStringPrefix(earlier, later)),
    };

    private static bool AllMembers(JsonObject o, Func<string, JsonNode?, bool> check)
    {
        foreach (KeyValuePair<string, JsonNode?> member in o)
        {
            if (!check(member.Key, member.Value))
                return false;
        }
        return true;
    }

    private static bool IsPrefix(JsonArray part, JsonArray whole)
    {
        if (part.Count > whole.Count)
            return false;
        for (int i = 0; i < part.Count; i++)
        {
            if (!JsonNode.DeepEquals(part[i], whole[i]))
                return false;
        }
        return true;
    }

    private static bool IsDefault(JsonNode? value) => value switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonObject o => AllMembers(o, (_, v) => IsDefault(v)),
        JsonValue v when v.TryGetValue(out bool b) => !b,
        JsonValue v when v.TryGetValue(out double d) => d == 0,
        JsonValue v when v.TryGetValue(out string? s) => s is "" or "0001-01-01T00:00:00" or "0001-01-01T00:00:00+00:00" or "0001-01-01" or "00:00:00" or "00000000-0000-0000-0000-000000000000",
        _ => false,
    };
}

public sealed record Route(string Name, List<RoutePoint> Points, IReadOnlyList<string> Tags, RoutePoint[] Stops);

public sealed class Ticket
{
    public required string Title { get; set; }

    public int Priority { get; set; }

    public List<string> Labels { get; set; } = [];

    public RoutePoint[] Stops { get; set; } = [];
}

public sealed class Grading
{
    public required char Grade { get; init; }

    public string Name { get; set; } = "";

    public List<int> Scores { get; set; } = [];
}

public sealed record RoutePoint(double X, double Y);

[System.Text.Json.Serialization.JsonSerializable(typeof(Route))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Grading))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Ticket))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class PartialJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
