using System;
using System.Text;
using System.Text.Json;
using Xunit;

namespace AotGateway.Tests.Streaming;

[Trait("Category", "Core")]
public class ChatChunkReaderTests
{
    private static (ChatChunkReader.Result Result, ChatUpdate Update) Read(string json)
    {
        var data = new ChunkData();
        var reader = new ChatChunkReader();
        ChatChunkReader.Result result = reader.Read(Encoding.UTF8.GetBytes(json), data);
        return (result, new ChatUpdate(data));
    }

    [Theory]
    [InlineData("[DONE]")]
    [InlineData(" [DONE]\r")]
    public void DONE_ends_the_stream(string payload)
    {
        Assert.Equal(ChatChunkReader.Result.Done, Read(payload).Result);
    }

    [Fact]
    public void Header_fields_are_read()
    {
        (_, ChatUpdate u) = Read("""{"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"acme/m","system_fingerprint":"fp","service_tier":"default","choices":[]}""");
        Assert.Equal("c1", u.Id);
        Assert.Equal("acme/m", u.Model);
        Assert.Equal(1700000000, u.Created!.Value.ToUnixTimeSeconds());
        Assert.Equal("fp", Encoding.UTF8.GetString(u.SystemFingerprintUtf8));
        Assert.Equal("default", Encoding.UTF8.GetString(u.ServiceTierUtf8));
        Assert.Equal(0, u.Choices.Count);
    }

    [Fact]
    public void Role_content_and_finish_reason_are_read()
    {
        (_, ChatUpdate u) = Read("""{"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"logprobs":null,"finish_reason":"stop"}]}""");
        ChatChoiceUpdate c = u.Choices[0];
        Assert.Equal(ChatRole.Assistant, c.Role);
        Assert.Equal("Hi", c.Content);
        Assert.True(c.HasContent);
        Assert.Same(ChatFinishReasons.Stop, c.FinishReason);
        Assert.Equal("Hi", Encoding.UTF8.GetString(u.ContentUtf8));
    }

    [Fact]
    public void Escaped_text_is_unescaped()
    {
        (_, ChatUpdate u) = Read("""{"choices":[{"index":0,"delta":{"content":"line\n\"q\" caf\u00e9 \ud83d\ude00"}}]}""");
        Assert.Equal("line\n\"q\" café 😀", u.Content);
    }

    [Theory]
    [InlineData("reasoning_content")]
    [InlineData("reasoning")]
    public void Reasoning_is_read_under_either_name(string name)
    {
        (_, ChatUpdate u) = Read("{\"choices\":[{\"index\":0,\"delta\":{\"" + name + "\":\"think\"}}]}");
        Assert.Equal("think", u.Choices[0].Reasoning);
        Assert.Equal("think", Encoding.UTF8.GetString(u.ReasoningUtf8));
        Assert.False(u.Choices[0].HasContent);
    }

    [Fact]
    public void Refusal_is_read()
    {
        (_, ChatUpdate u) = Read("""{"choices":[{"index":0,"delta":{"content":null,"refusal":"No."}}]}""");
        Assert.Equal("No.", u.Choices[0].Refusal);
        Assert.False(u.Choices[0].HasContent);
    }

    [Fact]
    public void Tool_call_fragments_are_read_with_their_index()
    {
        (_, ChatUpdate u) = Read("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}},{"index":1,"function":{"arguments":"{\"a\":"}}]}}]}""");
        ToolCallUpdateList calls = u.Choices[0].ToolCalls;
        Assert.Equal(2, calls.Count);
        Assert.Equal((0, "call_1", "f", ""), (calls[0].Index, calls[0].Id, calls[0].Name, calls[0].Arguments));
        Assert.Equal((1, (string?)null, (string?)null, "{\"a\":"), (calls[1].Index, calls[1].Id, calls[1].Name, calls[1].Arguments));
    }

    [Fact]
    public void Logprobs_are_kept_as_raw_json()
    {
        (_, ChatUpdate u) = Read("""{"choices":[{"index":0,"delta":{"content":"a"},"logprobs":{"content":[{"token":"a","logprob":-0.1,"bytes":[97],"top_logprobs":[]}]}}]}""");
        using JsonDocument doc = JsonDocument.Parse(u.Choices[0].LogprobsJson.ToArray());
        Assert.Equal("a", doc.RootElement.GetProperty("content")[0].GetProperty("token").GetString());
    }

    [Fact]
    public void The_usage_only_chunk_has_usage_and_no_choices()
    {
        (_, ChatUpdate u) = Read("""{"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7,"completion_tokens_details":{"reasoning_tokens":2}}}""");
        Assert.Equal(0, u.Choices.Count);
        Assert.Equal(7, u.Usage!.TotalTokens);
        Assert.Equal(2, u.Usage.ReasoningTokens);
    }

    [Theory]
    [InlineData("""{"error":{"message":"overloaded","type":"server_error"}}""")]
    [InlineData("""{"object":"error","message":"boom","code":500}""")]
    public void An_error_payload_is_reported(string json)
    {
        Assert.Equal(ChatChunkReader.Result.Error, Read(json).Result);
    }

    [Fact]
    public void An_error_field_that_is_null_is_not_an_error()
    {
        Assert.Equal(ChatChunkReader.Result.Chunk, Read("""{"error":null,"choices":[]}""").Result);
    }

    [Fact]
    public void Unknown_fields_are_skipped()
    {
        (ChatChunkReader.Result result, ChatUpdate u) = Read("""{"obfuscation":"xx","choices":[{"index":0,"delta":{"content":"a","annotations":[{"x":[1]}]},"extra":{"y":null}}],"future":[[]]}""");
        Assert.Equal(ChatChunkReader.Result.Chunk, result);
        Assert.Equal("a", u.Content);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"choices":[{"delta":{"content":5}}]}""")]
    [InlineData("""{"choices":[{"delta":"x"}]}""")]
    [InlineData("""{"choices":[""")]
    public void Malformed_chunks_raise_JsonException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Read(json));
    }

    [Fact]
    public void A_reused_update_forgets_the_previous_chunk()
    {
        var data = new ChunkData();
        var reader = new ChatChunkReader();
        reader.Read(Encoding.UTF8.GetBytes("""{"choices":[{"index":0,"delta":{"content":"a","tool_calls":[{"index":0,"id":"x"}]},"finish_reason":"stop"}],"usage":{"total_tokens":1}}"""), data);
        reader.Read(Encoding.UTF8.GetBytes("""{"choices":[{"index":0,"delta":{}}]}"""), data);
        var update = new ChatUpdate(data);
        Assert.False(update.Choices[0].HasContent);
        Assert.Equal(0, update.Choices[0].ToolCalls.Count);
        Assert.Null(update.Choices[0].FinishReason);
        Assert.Null(update.Usage);
    }
}
