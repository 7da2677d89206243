using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>
/// The chunk reader's fast path (a grammar-checking scan) must give exactly what the full Utf8JsonReader path
/// gives, on every input: the same update, or an error where the full reader has one.
/// </summary>
[Trait("Category", "Core")]
public class ChunkFastPathTests
{
    private static List<byte[]> RealPayloads()
    {
        var payloads = new List<byte[]>();
        foreach ((string name, int _, string path) in Fixtures.Exchanges())
        {
            if (!path.EndsWith(".sse", StringComparison.Ordinal))
                continue;
            string text = Encoding.UTF8.GetString(Fixtures.Response(name));
            foreach (string line in text.Split('\n'))
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal) && !line.Contains("[DONE]", StringComparison.Ordinal))
                    payloads.Add(Encoding.UTF8.GetBytes(line["data: ".Length..].TrimEnd('\r')));
            }
        }
        Assert.NotEmpty(payloads);
        return payloads;
    }

    private static string ReadWith(bool fast, byte[] payload, out int fullReads)
    {
        var reader = new ChatChunkReader { UseFastPath = fast };
        string reading = ChunkReading.Read(reader, new ChunkData(), payload);
        fullReads = reader.FullReads;
        return reading;
    }

    [Fact]
    public void Every_recorded_chunk_takes_the_fast_path_and_reads_as_the_full_reader_does()
    {
        foreach (byte[] payload in RealPayloads())
        {
            string fast = ReadWith(true, payload, out int fullReads);
            Assert.Equal(ReadWith(false, payload, out _), fast);
            Assert.True(fullReads == 0, "the fast path refused a real chunk: " + Encoding.UTF8.GetString(payload));
        }
    }

    [Theory]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"a\nb \"q\" \u00e9 \ud83d\ude00"}}]}""", true)]
    [InlineData("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"c","type":"function","function":{"name":"f","arguments":"{\"x\":[1,2.5e3,-0,true,null]}"}}]}}]}""", true)]
    [InlineData("""{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7,"prompt_tokens_details":{"cached_tokens":0}}}""", true)]
    [InlineData(""" { "id" : "x" , "choices" : [ { "index" : 0 , "delta" : { } , "logprobs" : {"content":[]} } ] } """, true)]
    [InlineData("""{"error":{"message":"boom","type":"server_error"}}""", true)]
    [InlineData("""{"object":"error","message":"boom"}""", true)]
    [InlineData("""{"created":1.7e9,"choices":[]}""", false)]
    [InlineData("""{"cho\u0069ces":[]}""", false)]
    [InlineData("""{"choices":[{"index":0,"delta":{"role":"\u0061ssistant"}}]}""", false)]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"x"}}]} trailing""", false)]
    public void Unusual_but_valid_chunks_read_the_same_on_both_paths(string json, bool fastPathTakesIt)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        string fast = ReadWith(true, payload, out int fullReads);
        Assert.Equal(ReadWith(false, payload, out _), fast);
        Assert.DoesNotContain("error:", fast);
        Assert.Equal(fastPathTakesIt, fullReads == 0);
    }

    [Theory]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"x"}}]""")]
    [InlineData("""{"choices":[{"index":01,"delta":{}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"bad \x"}}]}""")]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ctl\u0001\"}}]}")]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"x",}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":tru}}]}""")]
    [InlineData("""{"id":5,"choices":[]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":"text"}]}""")]
    public void Malformed_chunks_fail_on_both_paths(string json)
    {
        byte[] payload = Encoding.UTF8.GetBytes(json);
        Assert.Equal("error: JsonException", ReadWith(true, payload, out _));
        Assert.Equal("error: JsonException", ReadWith(false, payload, out _));
    }

    [Fact]
    public void Random_mutations_of_real_chunks_read_the_same_on_both_paths()
    {
        List<byte[]> payloads = RealPayloads();
        byte[] grammar = "{}[]\":,\\ 0-e.tnu"u8.ToArray();
        var random = new Random(23);
        for (int round = 0; round < 20_000; round++)
        {
            var bytes = new List<byte>(payloads[random.Next(payloads.Count)]);
            for (int edit = random.Next(1, 4); edit > 0 && bytes.Count > 0; edit--)
            {
                int at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes[at] = grammar[random.Next(grammar.Length)]; break;
                    case 1: bytes.RemoveAt(at); break;
                    case 2: bytes.Insert(at, grammar[random.Next(grammar.Length)]); break;
                    default: bytes[at] = (byte)random.Next(256); break;
                }
            }
            byte[] payload = [.. bytes];
            string fast = ReadWith(true, payload, out _);
            string full = ReadWith(false, payload, out _);
            Assert.True(full == fast, $"round {round}: {Encoding.UTF8.GetString(payload)}\nfull: {full}\nfast: {fast}");
        }
    }

    /// <summary>Real streams in order (so the remembered template is used), with some chunks mutated.</summary>
    [Fact]
    public void Streams_read_chunk_after_chunk_match_the_full_reader_with_the_remembered_template()
    {
        List<byte[]> payloads = RealPayloads();
        byte[] grammar = "{}[]\":,\\ 0-e.tnu"u8.ToArray();
        var random = new Random(29);
        for (int round = 0; round < 200; round++)
        {
            var fastReader = new ChatChunkReader();
            var fastUpdate = new ChunkData();
            for (int i = 0; i < payloads.Count; i++)
            {
                byte[] payload = payloads[i];
                if (random.Next(8) == 0)
                {
                    payload = (byte[])payload.Clone();
                    payload[random.Next(payload.Length)] = random.Next(2) == 0 ? grammar[random.Next(grammar.Length)] : (byte)random.Next(256);
                }
                string fast = ChunkReading.Read(fastReader, fastUpdate, payload);
                string full = ReadWith(false, payload, out _);
                Assert.True(full == fast, $"round {round}, chunk {i}: {Encoding.UTF8.GetString(payload)}\nfull: {full}\nfast: {fast}");
            }
            Assert.True(fastReader.TemplateReuses > payloads.Count / 4, $"the template was reused {fastReader.TemplateReuses} times in {payloads.Count} chunks");
        }
    }
}
