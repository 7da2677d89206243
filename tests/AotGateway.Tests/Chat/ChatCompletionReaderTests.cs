using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Chat;

[Trait("Category", "Core")]
public class ChatCompletionReaderTests
{
    public static TheoryData<string> Successes => Fixtures.JsonResponses(success: true);

    /// <summary>Each recorded reply is read, and every field the client models matches what a plain DOM read finds.</summary>
    [Theory]
    [MemberData(nameof(Successes))]
    public void Every_recorded_reply_is_read_completely(string name)
    {
        byte[] body = Fixtures.Response(name);
        ChatCompletion completion = ChatCompletionReader.Read(body, "req-1");
        using JsonDocument doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;

        Assert.Equal(root.GetProperty("id").GetString(), completion.Id);
        Assert.Equal(root.GetProperty("model").GetString(), completion.Model);
        Assert.Equal(root.GetProperty("object").GetString(), completion.ObjectType);
        Assert.Equal(root.GetProperty("created").GetInt64(), completion.Created!.Value.ToUnixTimeSeconds());
        Assert.Equal(StringOrNull(root, "system_fingerprint"), completion.SystemFingerprint);
        Assert.Equal(StringOrNull(root, "service_tier"), completion.ServiceTier);
        Assert.Equal("req-1", completion.RequestId);

        JsonElement[] choices = [.. root.GetProperty("choices").EnumerateArray()];
        Assert.Equal(choices.Length, completion.Choices.Count);
        for (int i = 0; i < choices.Length; i++)
        {
            JsonElement expected = choices[i];
            ChatChoice actual = completion.Choices[i];
            JsonElement message = expected.GetProperty("message");
            Assert.Equal(expected.GetProperty("index").GetInt32(), actual.Index);
            Assert.Equal(StringOrNull(expected, "finish_reason"), actual.FinishReason);
            Assert.Equal(StringOrNull(message, "content"), actual.Message.Content);
            Assert.Equal(StringOrNull(message, "refusal"), actual.Message.Refusal);
            Assert.Equal(ChatRole.Assistant, actual.Message.Role);

            List<JsonElement> calls = message.TryGetProperty("tool_calls", out JsonElement c) && c.ValueKind == JsonValueKind.Array ? [.. c.EnumerateArray()] : [];
            Assert.Equal(calls.Count, actual.Message.ToolCalls?.Count ?? 0);
            for (int k = 0; k < calls.Count; k++)
            {
                Assert.Equal(calls[k].GetProperty("id").GetString(), actual.Message.ToolCalls![k].Id);
                Assert.Equal(calls[k].GetProperty("function").GetProperty("name").GetString(), actual.Message.ToolCalls[k].Name);
                Assert.Equal(calls[k].GetProperty("function").GetProperty("arguments").GetString(), actual.Message.ToolCalls[k].Arguments);
            }

            if (expected.TryGetProperty("logprobs", out JsonElement logprobs) && logprobs.ValueKind == JsonValueKind.Object)
            {
                JsonElement content = logprobs.GetProperty("content");
                Assert.Equal(content.GetArrayLength(), actual.Logprobs!.Content!.Count);
                JsonElement first = content[0];
                Assert.Equal(first.GetProperty("token").GetString(), actual.Logprobs.Content[0].Token);
                Assert.Equal(first.GetProperty("logprob").GetDouble(), actual.Logprobs.Content[0].Logprob);
                Assert.Equal(first.GetProperty("top_logprobs").GetArrayLength(), actual.Logprobs.Content[0].TopLogprobs.Count);
            }
            else
            {
                Assert.Null(actual.Logprobs);
            }
        }

        JsonElement usage = root.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), completion.Usage!.PromptTokens);
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt32(), completion.Usage.CompletionTokens);
        Assert.Equal(usage.GetProperty("total_tokens").GetInt32(), completion.Usage.TotalTokens);
        if (usage.TryGetProperty("completion_tokens_details", out JsonElement details))
            Assert.Equal(details.GetProperty("reasoning_tokens").GetInt32(), completion.Usage.ReasoningTokens);
        if (usage.TryGetProperty("prompt_tokens_details", out JsonElement promptDetails))
            Assert.Equal(promptDetails.GetProperty("cached_tokens").GetInt32(), completion.Usage.CachedTokens);
    }

    [Fact]
    public void Reasoning_content_is_read_under_either_name()
    {
        ChatCompletion a = ChatCompletionReader.Read("""{"choices":[{"index":0,"message":{"role":"assistant","content":"4","reasoning_content":"2+2"},"finish_reason":"stop"}]}"""u8, null);
        ChatCompletion b = ChatCompletionReader.Read("""{"choices":[{"index":0,"message":{"role":"assistant","content":"4","reasoning":"2+2"},"finish_reason":"stop"}]}"""u8, null);
        Assert.Equal("2+2", a.Message!.Reasoning);
        Assert.Equal("2+2", b.Message!.Reasoning);
    }

    [Fact]
    public void Unknown_fields_of_any_shape_are_skipped()
    {
        ChatCompletion completion = ChatCompletionReader.Read("""
            {"id":"x","future":{"deep":[1,{"a":null}]},"choices":[{"index":0,"extra":[true],"message":{"role":"assistant","content":"hi","annotations":[{"type":"url"}],"audio":{"id":"a"}},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3,"new_details":{"x":1}}}
            """u8, null);
        Assert.Equal("hi", completion.Content);
        Assert.Equal(3, completion.Usage!.TotalTokens);
    }

    [Fact]
    public void Content_sent_as_text_parts_is_joined()
    {
        ChatCompletion completion = ChatCompletionReader.Read("""{"choices":[{"index":0,"message":{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}]}"""u8, null);
        Assert.Equal("ab", completion.Content);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"choices\":3}")]
    [InlineData("{\"choices\":[{\"message\":{\"tool_calls\":{}}}]}")]
    [InlineData("{\"id\":\"x\"")]
    public void Malformed_bodies_raise_JsonException(string body)
    {
        Assert.ThrowsAny<JsonException>(() => ChatCompletionReader.Read(System.Text.Encoding.UTF8.GetBytes(body), null));
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
