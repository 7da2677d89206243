using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using AotGateway;
using AotGateway.Testing;

/// <summary>
/// Partial objects under NativeAOT, the JIT tests' corpus in small: every member kind, escapes and surrogate pairs,
/// nesting and recursion, streamed one byte and seven bytes per event, strings whole and growing. Every partial must
/// hold only what the final value holds, keep what it showed, and the last must be the final value.
/// </summary>
internal static class PartialCorpus
{
    public static async Task<string?> RunAsync(GatewayClient client, FakeGateway gateway)
    {
        var profile = new Profile(
            "Zoë \"Z\" \\ tab\t 😀 日本", 41, -1.5e-7, 12345.6789m, true,
            new DateTime(1985, 3, 4, 5, 6, 7, DateTimeKind.Utc), new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(2)),
            new DateOnly(1985, 3, 4), new TimeOnly(6, 30), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            Mood.VeryHappy, null, [1, -2, 30000], ["a", "b \"q\"", "ü"], new Dictionary<string, int> { ["one"] = 1, ["two"] = 2 },
            new Place("1 Main St", "Springfield"), [new Place("h", "c"), new Place("2 \\ Side", "Nöwhere")],
            new Node("root", [new Node("a", [new Node("a1", [])]), new Node("b", [])]));
        string json = GatewayJson.Serialize(profile);
        foreach (int piece in new[] { 1, 7 })
        {
            foreach (bool grow in new[] { false, true })
            {
                string? problem = await CheckAsync(client, gateway, json, piece, grow);
                if (problem is not null)
                    return $"{piece}-byte pieces{(grow ? ", strings growing" : "")}: {problem}";
            }
        }
        return null;
    }

    private static async Task<string?> CheckAsync(GatewayClient client, FakeGateway gateway, string json, int piece, bool grow)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var events = new List<string>();
        int at = 0;
        while (at < bytes.Length)
        {
            int length = Math.Min(piece, bytes.Length - at);
            // A content delta is whole UTF-8: never cut inside a character.
            while (at + length < bytes.Length && (bytes[at + length] & 0xC0) == 0x80)
                length++;
            string text = System.Text.Encoding.UTF8.GetString(bytes, at, length);
            events.Add(Chunk("{\"content\":\"" + JsonEncodedText.Encode(text) + "\"}", "null"));
            at += length;
        }
        events.Add(Chunk("{}", "\"stop\""));
        events.Add("data: [DONE]\n\n");
        gateway.Enqueue(FakeReply.EventStream([.. events]));

        ChatStream<Profile> stream = client.StreamAsync<Profile>(new ChatRequest([ChatMessage.User("a profile")]));
        stream.ShowStringsAsTheyGrow = grow;
        var shown = new List<Profile>();
        await foreach (ChatUpdate update in stream)
        {
            if (stream.PartialChanged && stream.Partial is { } partial)
            {
                if (stream.PartialJson is not { } closed)
                    return "no closed text with a partial";
                using (JsonDocument.Parse(closed))
                {
                }
                shown.Add(partial);
            }
        }
        Profile final = await stream.ToObjectAsync();
        if (shown.Count < 10)
            return $"only {shown.Count} partials";
        for (int i = 0; i < shown.Count; i++)
        {
            if (!Consistent(shown[i], final, grow))
                return $"partial {i} is not part of the final value";
            if (i > 0 && !Consistent(shown[i - 1], shown[i], grow))
                return $"partial {i} lost or changed what partial {i - 1} showed";
        }
        if (!Equal(shown[^1], final))
            return "the last partial is not the final value";
        return null;
    }

    private static string Chunk(string delta, string finishReason) =>
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"acme/m\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}\n\n";

    /// <summary>Each member of the partial is a default (not arrived) or agrees with the later value; lists are prefixes.</summary>
    private static bool Consistent(object? partial, object? later, bool grow)
    {
        if (partial is null || IsDefault(partial))
            return true;
        if (partial is string text)
            return later is string whole && (whole == text || (grow && whole.StartsWith(text, StringComparison.Ordinal)));
        if (Members(partial) is { } members)
        {
            object?[]? laterMembers = later is null ? null : Members(later);
            if (laterMembers is null)
                return false;
            for (int i = 0; i < members.Length; i++)
            {
                if (!Consistent(members[i], laterMembers[i], grow))
                    return false;
            }
            return true;
        }
        if (partial is IDictionary map)
            return Equal(map, later);
        if (partial is IEnumerable list)
        {
            if (later is not IEnumerable laterList)
                return false;
            IEnumerator next = laterList.GetEnumerator();
            foreach (object? item in list)
            {
                if (!next.MoveNext() || !Equal(item, next.Current))
                    return false;
            }
            return true;
        }
        return partial.Equals(later);
    }

    private static bool Equal(object? a, object? b)
    {
        if (a is null || b is null)
            return a is null && b is null;
        if (a is string || Members(a) is null && a is not IEnumerable)
            return a.Equals(b);
        if (Members(a) is { } am)
        {
            object?[]? bm = Members(b);
            if (bm is null)
                return false;
            for (int i = 0; i < am.Length; i++)
            {
                if (!Equal(am[i], bm[i]))
                    return false;
            }
            return true;
        }
        if (a is IDictionary da)
        {
            if (b is not IDictionary db || da.Count != db.Count)
                return false;
            foreach (DictionaryEntry entry in da)
            {
                if (!db.Contains(entry.Key) || !Equal(entry.Value, db[entry.Key]))
                    return false;
            }
            return true;
        }
        IEnumerator ea = ((IEnumerable)a).GetEnumerator();
        if (b is not IEnumerable eb)
            return false;
        IEnumerator eb2 = eb.GetEnumerator();
        while (ea.MoveNext())
        {
            if (!eb2.MoveNext() || !Equal(ea.Current, eb2.Current))
                return false;
        }
        return !eb2.MoveNext();
    }

    private static object?[]? Members(object value) => value switch
    {
        Profile p => [p.Name, p.Age, p.Score, p.Balance, p.Active, p.BornAt, p.SeenAt, p.Birthday, p.WakesAt, p.Id, p.Mood, p.Rank, p.Scores, p.Tags, p.Counts, p.Home, p.Places, p.Tree],
        Place p => [p.Street, p.City],
        Node n => [n.Label, n.Children],
        _ => null,
    };

    private static bool IsDefault(object value) => value switch
    {
        int i => i == 0,
        double d => d == 0,
        decimal m => m == 0,
        bool b => !b,
        DateTime t => t == default,
        DateTimeOffset t => t == default,
        DateOnly d => d == default,
        TimeOnly t => t == default,
        Guid g => g == Guid.Empty,
        Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture) == 0,
        _ => false,
    };
}

[GatewayJson(Naming = GatewayJsonNaming.SnakeCase)]
internal sealed partial record Profile(
    string Name, int Age, double Score, decimal Balance, bool Active, DateTime BornAt, DateTimeOffset SeenAt,
    DateOnly Birthday, TimeOnly WakesAt, Guid Id, Mood Mood, int? Rank, List<int> Scores, string[] Tags,
    Dictionary<string, int> Counts, Place? Home, IReadOnlyList<Place> Places, Node Tree);

[GatewayJson]
internal sealed partial record Place(string Street, string City);

[GatewayJson]
internal sealed partial record Node(string Label, List<Node> Children);

internal enum Mood
{
    Calm,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("very-happy")]
    VeryHappy,
}
