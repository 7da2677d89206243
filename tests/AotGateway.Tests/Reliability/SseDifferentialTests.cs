using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Net.ServerSentEvents;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Reliability;

/// <summary>On valid streams, AotGateway's SSE reader and System.Net.ServerSentEvents' SseParser must see the same events.</summary>
public class SseDifferentialTests
{
    private static readonly string[] s_newlines = ["\n", "\r", "\r\n"];

    /// <summary>A random valid stream: comments, events with types, ids, retries, multi-line data, unknown fields, mixed line ends.</summary>
    internal static string RandomStream(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(4) == 0)
            text.Append('\uFEFF');
        int events = random.Next(0, 12);
        for (int e = 0; e < events; e++)
        {
            string nl = s_newlines[random.Next(s_newlines.Length)];
            if (random.Next(3) == 0)
                text.Append(':').Append(RandomText(random, allowColon: true)).Append(nl);
            if (random.Next(3) == 0)
                text.Append("event:").Append(random.Next(2) == 0 ? " " : "").Append(RandomText(random, allowColon: false)).Append(nl);
            if (random.Next(4) == 0)
                text.Append("id: ").Append(RandomText(random, allowColon: false)).Append(nl);
            if (random.Next(5) == 0)
                text.Append("retry: ").Append(random.Next(0, 100000)).Append(nl);
            if (random.Next(5) == 0)
                text.Append("unknown: ").Append(RandomText(random, allowColon: true)).Append(nl);
            int lines = random.Next(1, 4);
            for (int l = 0; l < lines; l++)
            {
                text.Append("data");
                if (random.Next(6) != 0)
                    text.Append(random.Next(3) == 0 ? ":" : ": ").Append(RandomText(random, allowColon: true));
                text.Append(s_newlines[random.Next(s_newlines.Length)]);
            }
            text.Append(s_newlines[random.Next(s_newlines.Length)]);
        }
        return text.ToString();
    }

    private static string RandomText(Random random, bool allowColon)
    {
        const string alphabet = "abcXYZ 019{}\"é😀-_.";
        int length = random.Next(0, 20);
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            char c = alphabet[random.Next(alphabet.Length)];
            if (char.IsHighSurrogate(c))
                text.Append("😀");
            else if (!char.IsLowSurrogate(c))
                text.Append(c);
            if (allowColon && random.Next(15) == 0)
                text.Append(':');
        }
        return text.ToString();
    }

    private static async Task<List<(string Type, string Data, string? Id, long? Retry)>> WithSseParserAsync(byte[] bytes)
    {
        var events = new List<(string, string, string?, long?)>();
        await foreach (SseItem<string> item in SseParser.Create(new MemoryStream(bytes), static (_, data) => Encoding.UTF8.GetString(data)).EnumerateAsync())
            events.Add((item.EventType, item.Data, item.EventId, item.ReconnectionInterval is { } r ? (long)r.TotalMilliseconds : null));
        return events;
    }

    private static async Task<List<(string Type, string Data, string? Id, long? Retry)>> WithSseReaderAsync(IReadOnlyList<byte[]> chunks)
    {
        var events = new List<(string, string, string?, long?)>();
        foreach (SseTestStreams.Event e in await SseTestStreams.ReadByReadsAsync(chunks))
            events.Add((e.Type ?? "message", e.Data, e.Id, e.Retry));
        return events;
    }

    [Fact]
    public async Task Both_readers_see_the_same_events_on_random_valid_streams()
    {
        var random = new Random(20261125);
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        int compared = 0;
        for (int round = 0; round < 2_000 && DateTime.UtcNow < until; round++)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(RandomStream(random));
            var expected = await WithSseParserAsync(bytes);
            var actual = await WithSseReaderAsync(SseTestStreams.Split(bytes, random, maxChunk: 1 + random.Next(40)));
            Assert.True(expected.Count == actual.Count && expected.SequenceEqual(actual),
                $"round {round}: stream {System.Text.Json.JsonSerializer.Serialize(Encoding.UTF8.GetString(bytes), AotGateway.Tests.Support.TestJson.Default.String)}\nSseParser: {string.Join(" | ", expected)}\nSseReader: {string.Join(" | ", actual)}");
            compared++;
        }
        Assert.True(compared >= 200, $"only {compared} rounds ran");
    }
}
