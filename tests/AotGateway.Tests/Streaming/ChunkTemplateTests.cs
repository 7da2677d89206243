using System;
using System.Collections.Generic;
using System.Text;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>
/// The chunk template (a remembered chunk whose strings may vary) must read every later chunk exactly as the
/// full Utf8JsonReader path does: the same update when it matches, an error where the full reader has one.
/// Each test reads a sequence of chunks with one reader, so the template learned from one is tried on the next.
/// </summary>
[Trait("Category", "Core")]
public class ChunkTemplateTests
{
    private const string Header = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1770950834,"model":"acme/m","system_fingerprint":"fp_1",""";

    private const string BeforeContent = Header + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
    private const string AfterContent = "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"abc\"}";

    private static string Text(string content) => BeforeContent + content + AfterContent;

    /// <summary>Reads the chunks in order with one reader and checks each against a fresh full reader.</summary>
    private static ChatChunkReader ReadInOrder(IEnumerable<byte[]> payloads)
    {
        var reader = new ChatChunkReader();
        var update = new ChunkData();
        int i = 0;
        foreach (byte[] payload in payloads)
        {
            string expected = ChunkReading.ReadInFull(payload);
            string actual = ChunkReading.Read(reader, update, payload);
            Assert.True(expected == actual, $"chunk {i}: {Encoding.UTF8.GetString(payload)}\nfull: {expected}\ntemplate: {actual}");
            i++;
        }
        return reader;
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void A_text_stream_is_read_by_the_template_after_its_first_chunk()
    {
        ChatChunkReader reader = ReadInOrder([Utf8(Text("a")), Utf8(Text(" quick")), Utf8(Text("")), Utf8(Text(" brown fox"))]);
        Assert.Equal(3, reader.TemplateReuses);
        Assert.Equal(0, reader.FullReads);
    }

    [Theory]
    [InlineData(100, 3)]
    [InlineData(1_500, 3)]
    [InlineData(3_000, 0)]
    public void Chunks_with_long_constant_parts_use_the_template_up_to_its_bound(int constantBytes, int reuses)
    {
        // Numbers in an unknown member are part of the constant bytes (only strings vary).
        string numbers = string.Join(",", new string('7', constantBytes / 2).ToCharArray());
        List<byte[]> chunks = [];
        foreach (string word in new[] { "a", "b", "c", "d" })
            chunks.Add(Utf8("""{"x":[""" + numbers + """],"choices":[{"index":0,"delta":{"content":" """ + word + "\"}}]}"));
        Assert.Equal(reuses, ReadInOrder(chunks).TemplateReuses);
    }

    [Fact]
    public void After_a_run_of_chunks_that_never_repeat_the_template_is_taken_up_again()
    {
        var chunks = new List<byte[]>();
        for (int i = 0; i < 300; i++)
        {
            // A number that changes on every chunk is outside any varying value, so no chunk matches the one before.
            chunks.Add(Utf8("{\"created\":" + (1770950834 + i) + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}"));
        }
        for (int i = 0; i < 200; i++)
            chunks.Add(Utf8(Text("word " + i)));
        ChatChunkReader reader = ReadInOrder(chunks);
        // It rests at most 64 chunks between tries, then matches every plain chunk.
        Assert.InRange(reader.TemplateReuses, 200 - 64 - 2, 199);
    }

    [Fact]
    public void Chunks_that_differ_in_their_log_probabilities_reuse_the_template_with_each_chunks_own()
    {
        var chunks = new List<byte[]>();
        for (int i = 0; i < 50; i++)
        {
            chunks.Add(Utf8(Header + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + "\"},\"logprobs\":{\"content\":[{\"token\":\"w" + i
                + "\",\"logprob\":-0." + i + ",\"bytes\":[119],\"top_logprobs\":[" + (i % 3 == 0 ? "" : "{\"token\":\"x\",\"logprob\":-9,\"bytes\":null}") + "]}],\"refusal\":null},\"finish_reason\":null}],\"usage\":null}"));
        }
        ChatChunkReader reader = ReadInOrder(chunks);
        Assert.True(reader.TemplateReuses >= 45, $"{reader.TemplateReuses} reuses");
    }

    [Theory]
    [InlineData("{\"content\":[]}")]
    [InlineData("{ \"content\" : [ ] , \"refusal\" : null }")]
    [InlineData("{\"content\":[{\"token\":\"\\u00e9\",\"logprob\":-1e-3}]}")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"content\":[}")]
    [InlineData("{\"content\":1.}")]
    [InlineData("{}, \"x\": 1")]
    public void Any_value_where_the_template_has_log_probabilities_reads_as_the_full_reader_reads_it(string logprobs)
    {
        string Chunk(string value) => Header + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"logprobs\":" + value + ",\"finish_reason\":null}],\"usage\":null}";
        ReadInOrder([Utf8(Chunk("{\"content\":[]}")), Utf8(Chunk(logprobs)), Utf8(Chunk("{\"content\":[]}"))]);
    }

    [Theory]
    [InlineData("""a\nb\t\"q\"\\ \/ \b\f\r""")]
    [InlineData("""caf\u00e9 \ud83d\ude00""")]
    [InlineData("""\\u0041 is not an escape""")]
    [InlineData("""\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null,\"obfuscation\":\"abc\"}""")]
    [InlineData("""\ud800 lone surrogate""")]
    [InlineData("""bad \x escape""")]
    [InlineData("""unfinished \u00""")]
    [InlineData("""ends in a backslash \""")]
    [InlineData("""a"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"abc"}""")]
    [InlineData("a\",\"x\":\"")]
    public void Any_string_where_the_template_has_one_reads_as_the_full_reader_reads_it(string content)
    {
        ChatChunkReader reader = ReadInOrder([Utf8(Text("first")), Utf8(Text(content)), Utf8(Text("then")), Utf8(Text("last"))]);
        Assert.True(reader.TemplateReuses >= 1);
    }

    [Fact]
    public void Control_characters_and_invalid_utf8_in_a_varying_string_fail_as_on_the_full_reader()
    {
        byte[] template = Utf8(Text("first"));
        foreach (byte[] content in new byte[][] { [0x01], [(byte)'a', 0x1F], [0xFF], [(byte)'\\', (byte)'n', 0xC3], [0xC3, 0xA9], [(byte)'\\', (byte)'n', 0xC3, 0xA9] })
            ReadInOrder([template, [.. Utf8(BeforeContent), .. content, .. Utf8(AfterContent)]]);
    }

    [Theory]
    [InlineData("""{"id":"chatcmpl-2","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":null}""")]
    [InlineData("""{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":"stop"}],"usage":null}""")]
    [InlineData("""{"id":"chatcmpl-1","choices":[{"index":1,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":null}""")]
    [InlineData("""{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":null},"logprobs":null,"finish_reason":null}],"usage":null}""")]
    [InlineData("""{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""")]
    [InlineData("""{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":null} """)]
    [InlineData("""{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":null}}""")]
    [InlineData("""{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}],"usage":nul""")]
    [InlineData("""{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}]""")]
    [InlineData("""{"error":{"message":"boom"}}""")]
    public void A_chunk_that_differs_outside_the_strings_is_read_in_full(string different)
    {
        const string Template = """{"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"a"},"logprobs":null,"finish_reason":null}],"usage":null}""";
        Assert.Equal(0, ReadInOrder([Utf8(Template), Utf8(different)]).TemplateReuses);
        ReadInOrder([Utf8(Template), Utf8(different), Utf8(Template), Utf8(Template)]);
    }

    [Theory]
    // A member written twice keeps its last value; a template may not replay the first one.
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"a","content":null}}]}""", """{"choices":[{"index":0,"delta":{"content":"b","content":null}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":null,"content":"a"}}]}""", """{"choices":[{"index":0,"delta":{"content":null,"content":"b"}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"reasoning_content":"a","reasoning":null}}]}""", """{"choices":[{"index":0,"delta":{"reasoning_content":"b","reasoning":null}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"a"}}],"choices":[{"index":1,"delta":{"content":"b"}}]}""", """{"choices":[{"index":0,"delta":{"content":"c"}}],"choices":[{"index":1,"delta":{"content":"d"}}]}""")]
    [InlineData("""{"id":"a","id":"b","choices":[]}""", """{"id":"a","id":"b","choices":[]}""")]
    [InlineData("""{"id":"\u0061","choices":[{"index":0,"delta":{"content":"a"}}]}""", """{"id":"\u0061","choices":[{"index":0,"delta":{"content":"b"}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"role":"assistant","content":"a","refusal":null},"logprobs":{"content":[{"token":"a"}]}}]}""", """{"choices":[{"index":0,"delta":{"role":"assistant","content":"b","refusal":null},"logprobs":{"content":[{"token":"a"}]}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":""}},{"index":1,"id":"c2","type":"function","function":{"name":"g","arguments":"{"}}]}}]}""", """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c3","type":"function","function":{"name":"h","arguments":"{\"x\":1}"}},{"index":1,"id":"c4","type":"x","function":{"name":"i","arguments":"}"}}]}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"reasoning":"b","refusal":"c"}}]}""", """{"choices":[{"index":0,"delta":{"content":"d"}},{"index":1,"delta":{"reasoning":"e","refusal":"f"}}]}""")]
    public void Unusual_chunks_that_repeat_read_as_the_full_reader_reads_them(string first, string second)
    {
        ReadInOrder([Utf8(first), Utf8(second), Utf8(first), Utf8(second)]);
    }

    [Fact]
    public void Random_strings_in_the_varying_places_of_a_template_read_as_the_full_reader_reads_them()
    {
        byte[] alphabet = "ab \"\\/nrtbfu0123456789ABCDEFdD{}[]:,"u8.ToArray();
        var random = new Random(31);
        var reader = new ChatChunkReader();
        var update = new ChunkData();
        int reuses = 0;
        for (int round = 0; round < 20_000; round++)
        {
            var content = new List<byte>();
            for (int i = random.Next(0, 12); i > 0; i--)
            {
                int pick = random.Next(alphabet.Length + 8);
                content.Add(pick < alphabet.Length ? alphabet[pick] : pick == alphabet.Length ? (byte)random.Next(0x20) : (byte)random.Next(0x80, 0x100));
            }
            byte[] payload = [.. Utf8(BeforeContent), .. content, .. Utf8(AfterContent)];
            int before = reader.TemplateReuses;
            string actual = ChunkReading.Read(reader, update, payload);
            string expected = ChunkReading.ReadInFull(payload);
            Assert.True(expected == actual, $"round {round}: {Convert.ToHexString([.. content])}\nfull: {expected}\ntemplate: {actual}");
            reuses += reader.TemplateReuses - before;
        }
        // Most random strings are valid, so most rounds must have gone through the template.
        Assert.True(reuses > 5_000, $"the template read {reuses} of 20,000 chunks");
    }
}
