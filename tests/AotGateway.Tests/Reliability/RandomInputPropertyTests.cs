using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AotGateway.Tests.Generator;
using AotGateway.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AotGateway.Tests.Reliability;

/// <summary>
/// Property checks on hostile bytes: random data and random mutations of valid inputs never raise anything
/// but the library's typed errors, and never loop. Bounded in rounds and time; seeds are fixed so a failure
/// reproduces. Longer campaigns: set AOTGW_FUZZ_SECONDS (see README).
/// </summary>
public class RandomInputPropertyTests(ITestOutputHelper output)
{
    private static TimeSpan Budget => TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("AOTGW_FUZZ_SECONDS"), out int s) && s > 0 ? s : 4);

    /// <summary>Each property's fixed seed, shifted by AOTGW_FUZZ_SEED so a campaign can explore new inputs.</summary>
    private static Random Seeded(int seed) =>
        new(seed + (int.TryParse(Environment.GetEnvironmentVariable("AOTGW_FUZZ_SEED"), out int shift) ? shift : 0));

    private void Report(string property, int rounds) => output.WriteLine($"{property}: {rounds:N0} inputs");

    private static readonly byte[][] s_validStreams =
    [
        Fixtures.Response("StreamingStructuredRefusalWorks.1"),
        Fixtures.Response("TokenLogProbabilitiesStreaming_False_.1")[..20_000],
        Streaming.AllocationTests.TextStream(50, crlf: true, keepAliveEvery: 3),
        Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\ndata: [DONE]\n\n"),
    ];

    private static readonly byte[] s_sseGrammar = "data: \n\r:event id retry"u8.ToArray();
    private static readonly byte[] s_grammar = "{}[]\":,\\\n\r 0-e"u8.ToArray();

    private static byte[] Mutate(byte[] input, Random random)
    {
        byte[] bytes = (byte[])input.Clone();
        int edits = random.Next(1, 8);
        var list = new List<byte>(bytes);
        for (int i = 0; i < edits && list.Count > 0; i++)
        {
            int at = random.Next(list.Count);
            switch (random.Next(5))
            {
                case 0: list[at] = (byte)random.Next(256); break;
                case 1: list.RemoveAt(at); break;
                case 2: list.Insert(at, s_grammar[random.Next(s_grammar.Length)]); break;
                case 3: list.RemoveRange(at, Math.Min(list.Count - at, random.Next(1, 40))); break;
                default:
                    int from = random.Next(list.Count);
                    list.InsertRange(at, list.GetRange(from, Math.Min(10, list.Count - from)));
                    break;
            }
        }
        return [.. list];
    }

    [Fact]
    public async Task Mutated_chat_streams_fail_only_with_typed_stream_errors()
    {
        var random = Seeded(7);
        DateTime until = DateTime.UtcNow + Budget;
        int rounds = 0;
        while (DateTime.UtcNow < until || rounds < 200)
        {
            byte[] input = Mutate(s_validStreams[rounds % s_validStreams.Length], random);
            try
            {
                await ChatStream.FromEventStream(SseTestStreams.ChunkedStream(SseTestStreams.Split(input, random, 512)))
                    .ToCompletionAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (GatewayStreamException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"round {rounds}: {ex.GetType().Name}: {ex.Message}\ninput: {Convert.ToBase64String(input)}");
            }
            rounds++;
        }
        Report("mutated chat streams", rounds);
    }

    [Fact]
    public async Task Random_bytes_through_the_SSE_reader_fail_only_with_format_errors()
    {
        var random = Seeded(11);
        DateTime until = DateTime.UtcNow + Budget;
        int rounds = 0;
        while (DateTime.UtcNow < until || rounds < 200)
        {
            byte[] input = new byte[random.Next(0, 4096)];
            random.NextBytes(input);
            // Bias toward the bytes the grammar cares about.
            for (int i = 0; i < input.Length; i += random.Next(1, 8))
                input[i] = s_sseGrammar[random.Next(s_sseGrammar.Length)];
            try
            {
                await SseTestStreams.ReadByReadsAsync(SseTestStreams.Split(input, random, 300), maxEventBytes: 1024).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (SseFormatException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"round {rounds}: {ex.GetType().Name}: {ex.Message}");
            }
            rounds++;
        }
        Report("random bytes through the SSE reader", rounds);
    }

    [Fact]
    public void Mutated_JSON_for_generated_types_fails_only_with_JsonException()
    {
        byte[][] valid =
        [
            GatewayJson.SerializeToUtf8Bytes(new Weather("Oslo", -3.5, new Point(59.9, 10.7))),
            GatewayJson.SerializeToUtf8Bytes(new TreeNode { Label = "r", Children = [new TreeNode { Label = "c" }] }),
            Encoding.UTF8.GetBytes("""{"full_name":"A","age":1,"nickname":null,"is_active":true,"small_signed":1,"small_unsigned":1,"short":1,"u_short":1,"u_int":1,"long":1,"u_long":1,"ratio":1,"score":1,"balance":1,"born_at":"2020-01-01T00:00:00Z","seen_at":"2020-01-01T00:00:00+01:00","birthday":"2020-01-01","wakes_at":"06:00:00","id":"5f1c2a3b-0000-4000-8000-000000000abc","homepage":"https://x/","mood":"Calm","last_mood":null,"rank":null,"tags":[],"scores":[1],"addresses":[],"aliases":[null],"counts":{"a":1},"places":null,"work":null,"grid":[[1]],"custom-name":"x"}"""),
        ];
        GatewayJson.Deserialize<Person>(valid[2]);
        var random = Seeded(13);
        DateTime until = DateTime.UtcNow + Budget;
        int rounds = 0;
        while (DateTime.UtcNow < until || rounds < 500)
        {
            byte[] input = Mutate(valid[rounds % valid.Length], random);
            try
            {
                switch (rounds % valid.Length)
                {
                    case 0: GatewayJson.Deserialize<Weather>(input); break;
                    case 1: GatewayJson.Deserialize<TreeNode>(input); break;
                    default: GatewayJson.Deserialize<Person>(input); break;
                }
            }
            catch (JsonException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"round {rounds}: {ex.GetType().Name}: {ex.Message}\ninput: {Encoding.UTF8.GetString(input)}");
            }
            rounds++;
        }
        Report("mutated JSON for generated types", rounds);
    }

    [Fact]
    public void Mutated_reply_bodies_fail_only_with_JsonException()
    {
        byte[] valid = Fixtures.Response("ParallelToolCalls.1");
        var random = Seeded(17);
        DateTime until = DateTime.UtcNow + Budget;
        int rounds = 0;
        while (DateTime.UtcNow < until || rounds < 500)
        {
            byte[] input = Mutate(valid, random);
            try
            {
                ChatCompletionReader.Read(input, null);
                ErrorBodyReader.TryRead(input, out _);
            }
            catch (JsonException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"round {rounds}: {ex.GetType().Name}: {ex.Message}\ninput: {Encoding.UTF8.GetString(input)}");
            }
            rounds++;
        }
        Report("mutated reply bodies", rounds);
    }
}
