using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Testing;

namespace AotGateway.Tests.Relay;

/// <summary>What the relay tests send and read: prompts, a slow upstream reply, and the relay's own events.</summary>
internal static class RelayStreams
{
    public sealed record Event(string Type, JsonElement Data);

    /// <summary>A streamed reply of <paramref name="words"/> chunks, one every <paramref name="pace"/>: a model still generating.</summary>
    public static FakeReply SlowReply(int words, TimeSpan pace)
    {
        var parts = new List<string>();
        for (int i = 0; i < words; i++)
            parts.Add(ContentChunk($"word{i} "));
        parts.Add("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake/echo-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        var bytes = new List<ReadOnlyMemory<byte>>(parts.Count);
        foreach (string part in parts)
            bytes.Add(Encoding.UTF8.GetBytes(part));
        return new FakeReply(200, "text/event-stream", bytes) { Fault = new FakeFault(FakeFaultKind.None, Delay: pace) };
    }

    /// <summary>One streamed chunk carrying <paramref name="text"/> (plain text: nothing in it is escaped), as its event.</summary>
    public static string ContentChunk(string text) =>
        $"data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake/echo-1\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{text}\"}},\"finish_reason\":null}}]}}\n\n";

    public static HttpRequestMessage Post(Uri relay, string prompt) => new(HttpMethod.Post, new Uri(relay, "/chat"))
    {
        Content = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["prompt"] = prompt }, RelayTestJson.Default.DictionaryStringString), Encoding.UTF8, "application/json"),
    };

    /// <summary>Reads events until the stream ends or <paramref name="stopAfter"/> says enough.</summary>
    public static async Task<List<Event>> ReadEventsAsync(Stream body, Func<Event, bool>? stopAfter, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body);
        return await ReadEventsAsync(reader, stopAfter, cancellationToken);
    }

    /// <summary>As above, from a reader the caller goes on reading after <paramref name="stopAfter"/> matched.</summary>
    public static async Task<List<Event>> ReadEventsAsync(StreamReader reader, Func<Event, bool>? stopAfter, CancellationToken cancellationToken)
    {
        var events = new List<Event>();
        string type = "message";
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    var e = new Event(type, JsonDocument.Parse(data.ToString()).RootElement.Clone());
                    events.Add(e);
                    if (stopAfter?.Invoke(e) == true)
                        return events;
                }
                type = "message";
                data.Clear();
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line["data: ".Length..]);
            }
        }
        return events;
    }

    public static string Text(IEnumerable<Event> events)
    {
        var text = new StringBuilder();
        foreach (Event e in events)
        {
            if (e.Type == "message")
                text.Append(e.Data.GetProperty("text").GetString());
        }
        return text.ToString();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class RelayTestJson : System.Text.Json.Serialization.JsonSerializerContext;
