using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace AotGateway.Tests.Generator;

/// <summary>A person with every kind of member the generator supports.</summary>
[GatewayJson(Naming = GatewayJsonNaming.SnakeCase)]
public sealed partial class Person
{
    [Description("Full name as written.")]
    public required string FullName { get; init; }

    /// <summary>Age in whole years.</summary>
    public int Age { get; set; }

    public string? Nickname { get; set; }

    public bool IsActive { get; set; }

    public sbyte SmallSigned { get; set; }
    public byte SmallUnsigned { get; set; }
    public short Short { get; set; }
    public ushort UShort { get; set; }
    public uint UInt { get; set; }
    public long Long { get; set; }
    public ulong ULong { get; set; }
    public float Ratio { get; set; }
    public double Score { get; set; }
    public decimal Balance { get; set; }
    public DateTime BornAt { get; set; }
    public DateTimeOffset SeenAt { get; set; }
    public DateOnly Birthday { get; set; }
    public TimeOnly WakesAt { get; set; }
    public Guid Id { get; set; }
    public Uri? Homepage { get; set; }
    public Mood Mood { get; set; }
    public Mood? LastMood { get; set; }
    public int? Rank { get; set; }
    public string[] Tags { get; set; } = [];
    public List<int> Scores { get; set; } = [];
    public IReadOnlyList<Address> Addresses { get; set; } = [];
    public IEnumerable<string?> Aliases { get; set; } = [];
    public Dictionary<string, int> Counts { get; set; } = [];
    public IReadOnlyDictionary<string, Address>? Places { get; set; }
    public Address? Work { get; set; }
    public List<List<int>> Grid { get; set; } = [];

    [JsonPropertyName("custom-name")]
    public string Renamed { get; set; } = "";

    [JsonIgnore]
    public string Secret { get; set; } = "not serialized";
}

public enum Mood
{
    Calm,
    [JsonStringEnumMemberName("very-happy")]
    VeryHappy,
    Grumpy,
}

/// <summary>A postal address.</summary>
/// <param name="Street">Street and number.</param>
/// <param name="City">City name.</param>
/// <param name="PostCode">Postal code, when known.</param>
[GatewayJson(Naming = GatewayJsonNaming.CamelCase)]
public partial record Address(string Street, string City, string? PostCode);

/// <summary>A tree: recursion through $ref.</summary>
[GatewayJson]
public partial class TreeNode
{
    public string Label { get; set; } = "";
    public List<TreeNode> Children { get; set; } = [];
    public TreeNode? Parent { get; set; }
}

[GatewayJson]
public partial record struct Point(double X, double Y);

[GatewayJson(SchemaName = "weather_report")]
public partial record Weather(string City, double Celsius, Point Location);

public static partial class Outer
{
    [GatewayJson]
    public partial class Inner
    {
        public int Value { get; set; }
    }
}

[GatewayJson]
public partial class WithDefaults
{
    public string? Note { get; set; } = "default note";
    public int Count { get; set; } = 7;
}
