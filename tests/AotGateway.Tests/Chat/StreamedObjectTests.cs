using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Generator;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Chat;

/// <summary><see cref="ChatStream{T}"/> from its callers: partials while enumerating, the strict end, both type paths.</summary>
[Trait("Category", "Core")]
public class StreamedObjectTests
{
    /// <summary>An event stream whose first choice's content arrives in <paramref name="pieces"/>.</summary>
    internal static FakeReply StreamOf(IReadOnlyList<string> pieces, string finishReason = "stop")
    {
        var events = new List<string>();
        foreach (string piece in pieces)
            events.Add(Chunk($"{{\"content\":{JsonSerializer.Serialize(piece, TestJson.Default.String)}}}", null));
        events.Add(Chunk("{}", finishReason));
        events.Add("data: [DONE]\n\n");
        return FakeReply.EventStream([.. events]);
    }

    private static string Chunk(string delta, string? finish) =>
        $"data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"acme/m\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"finish_reason\":{(finish is null ? "null" : $"\"{finish}\"")}}}]}}\n\n";

    private static List<string> Pieces(string json, int size)
    {
        var pieces = new List<string>();
        for (int i = 0; i < json.Length; i += size)
        {
            int length = Math.Min(size, json.Length - i);
            // Never cut a surrogate pair: a content delta is whole UTF-8.
            if (i + length < json.Length && char.IsHighSurrogate(json[i + length - 1]))
                length++;
            pieces.Add(json.Substring(i, length));
            i += length - size;
        }
        return pieces;
    }

    [Fact]
    public async Task Partials_fill_in_while_the_updates_are_read_and_the_end_is_read_strictly()
    {
        var tree = new TreeNode { Label = "root", Children = [new TreeNode { Label = "a" }, new TreeNode { Label = "b" }] };
        string json = GatewayJson.Serialize(tree);
        using var test = new TestGateway();
        test.Gateway.Enqueue(StreamOf(Pieces(json, 3)));

        ChatStream<TreeNode> stream = test.Client.StreamAsync<TreeNode>(TestGateway.Ask("a tree"));
        Assert.Null(stream.Partial);
        var labels = new List<string>();
        var childCounts = new List<int>();
        int changes = 0;
        await foreach (ChatUpdate update in stream)
        {
            if (!stream.PartialChanged)
                continue;
            changes++;
            TreeNode partial = stream.Partial!;
            labels.Add(partial.Label);
            childCounts.Add(partial.Children.Count);
        }
        Assert.Equal(["", "root", "root", "root", "root", "root"], labels.GetRange(0, Math.Min(6, labels.Count)).ConvertAll(l => l == "" ? "" : l));
        Assert.Contains(1, childCounts);
        Assert.Equal(2, childCounts[^1]);
        Assert.True(changes >= 4);
        // Read after the stream ended, the last partial is the whole value.
        Assert.Equal("b", stream.Partial!.Children[1].Label);
    }

    [Fact]
    public async Task A_generated_type_without_a_builder_streams_partials_from_the_closed_text()
    {
        // A tool's argument record gets no partial builder from the generator; a stream of one still shows partials.
        var arguments = new AotGateway.Tests.Tools.SampleTools.RememberArguments(["milk", "eggs", "a very long note"], "shopping");
        string json = GatewayJson.Serialize(arguments);
        Assert.Null(GatewayJson.CreatePartialBuilder<AotGateway.Tests.Tools.SampleTools.RememberArguments>());
        using var test = new TestGateway();
        test.Gateway.Enqueue(StreamOf(Pieces(json, 4)));

        ChatStream<AotGateway.Tests.Tools.SampleTools.RememberArguments> stream = test.Client.StreamAsync<AotGateway.Tests.Tools.SampleTools.RememberArguments>(TestGateway.Ask("notes"));
        var counts = new List<int>();
        await foreach (ChatUpdate update in stream)
        {
            // Null until the required list has begun; then every whole note, in order.
            if (stream.PartialChanged && stream.Partial is { } partial)
                counts.Add(partial.Notes.Count);
        }
        Assert.Equal([0, 1, 2, 3], DistinctInOrder(counts));
        Assert.Equal("shopping", stream.Partial!.Tag);
        Assert.Equal(arguments.Notes, (await stream.ToObjectAsync()).Notes);
    }

    [Fact]
    public async Task PartialJson_is_valid_JSON_holding_what_Partial_holds_and_outlives_the_stream()
    {
        const string json = "{ \"street\" : \"1 \\\"Main\\\" St\" ,\n \"city\": \"Zürich\", \"postCode\": null }";
        using var test = new TestGateway();
        test.Gateway.Enqueue(StreamOf(Pieces(json, 3)));
        ChatStream<Address> stream = test.Client.StreamAsync<Address>(TestGateway.Ask("address?"));
        Assert.Null(stream.PartialJson);
        var shown = new List<string>();
        await foreach (ChatUpdate update in stream)
        {
            if (!stream.PartialChanged)
                continue;
            string partialJson = stream.PartialJson!;
            // Read back with the type's own reader it gives the partial's members (those present are whole).
            using JsonDocument document = JsonDocument.Parse(partialJson);
            Address partial = stream.Partial!;
            Assert.Equal(document.RootElement.TryGetProperty("street", out JsonElement street) ? street.GetString() : null, partial.Street);
            Assert.Equal(document.RootElement.TryGetProperty("city", out JsonElement city) ? city.GetString() : null, partial.City);
            shown.Add(partialJson);
        }
        Assert.Equal(["{}", "{ \"street\" : \"1 \\\"Main\\\" St\"}"], shown.GetRange(0, 2));
        Assert.Equal(json, stream.PartialJson);
        Assert.Equal(new Address("1 \"Main\" St", "Zürich", null), GatewayJson.Deserialize<Address>(stream.PartialJson!));
    }

    [Fact]
    public async Task Strings_shown_as_they_grow_on_request_and_only_before_reading()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(StreamOf(["{\"street\":\"1 Ma", "in St\",\"city\":\"Zü", "rich\",\"postCode\":null}"]));
        ChatStream<Address> stream = test.Client.StreamAsync<Address>(TestGateway.Ask("address?"));
        stream.ShowStringsAsTheyGrow = true;
        var streets = new List<string?>();
        var cities = new List<string?>();
        await foreach (ChatUpdate update in stream)
        {
            Assert.Throws<InvalidOperationException>(() => stream.ShowStringsAsTheyGrow = false);
            if (stream.PartialChanged)
            {
                streets.Add(stream.Partial!.Street);
                cities.Add(stream.Partial.City);
            }
        }
        Assert.Equal(["1 Ma", "1 Main St", "1 Main St"], streets);
        Assert.Equal([null, "Zü", "Zürich"], cities);
        Assert.Equal(new Address("1 Main St", "Zürich", null), await stream.ToObjectAsync());
    }

    [Fact]
    public async Task ToObjectAsync_reads_the_reply_as_CompleteAsync_does()
    {
        var address = new Address("1 \"Main\" St", "Zürich 😀", null);
        using var test = new TestGateway();
        test.Gateway.Enqueue(StreamOf(Pieces(GatewayJson.Serialize(address), 5)));
        ChatStream<Address> stream = test.Client.StreamAsync<Address>(TestGateway.Ask("address?"));
        Assert.Equal(address, await stream.ToObjectAsync());
        Assert.Equal(address, stream.Partial);
    }

    [Fact]
    public async Task ToObjectAsync_after_reading_every_update_reads_what_they_added_up_to()
    {
        var address = new Address("s", "c", "p");
        using var test = new TestGateway();
        test.Gateway.Enqueue(StreamOf(Pieces(GatewayJson.Serialize(address), 4)));
        ChatStream<Address> stream = test.Client.StreamAsync<Address>(TestGateway.Ask("address?"));
        int updates = 0;
        await foreach (ChatUpdate update in stream)
            updates++;
        Assert.True(updates > 4);
        Assert.Equal(address, await stream.ToObjectAsync());
        Assert.Equal(address, await stream.ToObjectAsync());
    }

    [Fact]
    public async Task ToObjectAsync_while_reading_or_after_leaving_early_says_so()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(StreamOf(Pieces("{\"street\":\"s\",\"city\":\"c\",\"postCode\":null}", 4)));
        ChatStream<Address> stream = test.Client.StreamAsync<Address>(TestGateway.Ask("address?"));
        await foreach (ChatUpdate update in stream)
        {
            var during = await Assert.ThrowsAsync<InvalidOperationException>(() => stream.ToObjectAsync());
            Assert.Contains("after reading every update", during.Message);
            break;
        }
        var after = await Assert.ThrowsAsync<InvalidOperationException>(() => stream.ToObjectAsync());
        Assert.Contains("stopped before the end", after.Message);
    }

    [Fact]
    public async Task A_reply_that_does_not_fit_shows_its_whole_members_then_fails_as_before()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(StreamOf(Pieces("""{"street":"s","city":7,"postCode":null}""", 4)));
        ChatStream<Address> stream = test.Client.StreamAsync<Address>(TestGateway.Ask("x"));
        var seen = new List<Address?>();
        var error = await Assert.ThrowsAsync<GatewayStructuredOutputException>(async () =>
        {
            await foreach (ChatUpdate update in stream)
            {
                if (stream.PartialChanged)
                    seen.Add(stream.Partial);
            }
            await stream.ToObjectAsync();
        });
        Assert.Contains("$.city", error.Message);
        Assert.Equal("""{"street":"s","city":7,"postCode":null}""", error.RawText);
        // The street was shown; the city, which does not fit, never was.
        Assert.Contains(seen, a => a?.Street == "s");
        Assert.All(seen, a => Assert.Null(a?.City));
    }

    [Fact]
    public async Task A_reply_cut_at_the_token_limit_fails_as_before_after_correct_partials()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(StreamOf(Pieces("""{"street":"s","city":"Ber""", 4), finishReason: "length"));
        ChatStream<Address> stream = test.Client.StreamAsync<Address>(TestGateway.Ask("x"));
        var error = await Assert.ThrowsAsync<GatewayStructuredOutputException>(() => stream.ToObjectAsync());
        Assert.Contains("token limit", error.Message);
        Assert.Equal(new Address("s", null!, null), stream.Partial);
    }

    [Fact]
    public async Task The_JsonTypeInfo_path_gives_the_same_partials_from_the_whole_part_of_the_text()
    {
        const string json = """{"number":"INV-1","total":12.5,"status":"Sent","note":null,"lines":[{"sku":"a","quantity":1},{"sku":"b","quantity":2}]}""";
        using var test = new TestGateway();
        test.Gateway.Enqueue(StreamOf(Pieces(json, 6)));
        ChatStream<Invoice> stream = test.Client.StreamAsync(TestGateway.Ask("invoice"), UserJsonContext.Default.Invoice);
        var lineCounts = new List<int>();
        var numbers = new List<string>();
        await foreach (ChatUpdate update in stream)
        {
            if (stream.PartialChanged && stream.Partial is { } partial)
            {
                lineCounts.Add(partial.Lines.Count);
                numbers.Add(partial.Number);
                // Only whole elements: a line still arriving is not shown half-filled.
                Assert.All(partial.Lines, line => Assert.True(line.Sku.Length > 0 && line.Quantity > 0));
            }
        }
        Assert.Equal("INV-1", numbers[^1]);
        Assert.Equal(["", "INV-1"], numbers.GetRange(0, 2).ConvertAll(n => n));
        Assert.Equal([0, 1, 2], DistinctInOrder(lineCounts));
        Assert.Equal("b", stream.Partial!.Lines[1].Sku);
        Assert.Equal(InvoiceStatus.Sent, stream.Partial.Status);
    }

    private static List<int> DistinctInOrder(List<int> values)
    {
        var result = new List<int>();
        foreach (int v in values)
        {
            if (result.Count == 0 || result[^1] != v)
                result.Add(v);
        }
        return result;
    }
}
