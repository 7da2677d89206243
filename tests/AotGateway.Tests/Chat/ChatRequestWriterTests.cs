using System;
using System.Text.Json;
using System.Text.Json.Nodes;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Chat;

[Trait("Category", "Core")]
public class ChatRequestWriterTests
{
    private static ChatRequest EveryField()
    {
        var request = new ChatRequest
        {
            Temperature = 0.5,
            TopP = 0.9,
            MaxTokens = 100,
            MaxCompletionTokens = 200,
            Stop = ["END", "STOP"],
            Seed = 42,
            N = 2,
            PresencePenalty = 0.1,
            FrequencyPenalty = -0.2,
            Logprobs = true,
            TopLogprobs = 3,
            User = "user-7",
            ReasoningEffort = "low",
            ResponseFormat = ChatResponseFormat.JsonSchema("answer", """{"type":"object","properties":{"x":{"type":"integer"}},"required":["x"],"additionalProperties":false}""", strict: true, description: "An answer"),
            Tools = [ChatTool.Function("get_weather", "Weather for a city", """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", strict: true)],
            ToolChoice = ChatToolChoice.Function("get_weather"),
            ParallelToolCalls = false,
        };
        request.Messages.Add(ChatMessage.System("Be brief."));
        request.Messages.Add(ChatMessage.Developer("Use metric units."));
        request.Messages.Add(new ChatMessage(ChatRole.User, "Hi") { Name = "ann" });
        request.Messages.Add(ChatMessage.User(ChatContentPart.FromText("What is this?"), ChatContentPart.FromImageUrl("https://example.com/a.png", "low")));
        request.Messages.Add(ChatMessage.Assistant([new ChatToolCall("call_1", "get_weather", """{"city":"Paris"}""")]));
        request.Messages.Add(ChatMessage.Tool("call_1", "18C and sunny"));
        request.Messages.Add(ChatMessage.Assistant("It is 18C."));
        return request;
    }

    [Fact]
    public void Every_field_is_written_with_its_wire_name_and_shape()
    {
        using JsonDocument written = RequestJson.Of(EveryField());
        JsonNode expected = JsonNode.Parse("""
        {
          "model": "acme/model-1",
          "messages": [
            {"role":"system","content":"Be brief."},
            {"role":"developer","content":"Use metric units."},
            {"role":"user","content":"Hi","name":"ann"},
            {"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}}]},
            {"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
            {"role":"tool","content":"18C and sunny","tool_call_id":"call_1"},
            {"role":"assistant","content":"It is 18C."}
          ],
          "temperature": 0.5, "top_p": 0.9, "max_tokens": 100, "max_completion_tokens": 200,
          "stop": ["END","STOP"], "seed": 42, "n": 2, "presence_penalty": 0.1, "frequency_penalty": -0.2,
          "logprobs": true, "top_logprobs": 3, "user": "user-7", "reasoning_effort": "low",
          "response_format": {"type":"json_schema","json_schema":{"name":"answer","description":"An answer","schema":{"type":"object","properties":{"x":{"type":"integer"}},"required":["x"],"additionalProperties":false},"strict":true}},
          "tools": [{"type":"function","function":{"name":"get_weather","description":"Weather for a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":true}}],
          "tool_choice": {"type":"function","function":{"name":"get_weather"}},
          "parallel_tool_calls": false
        }
        """)!;
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(written.RootElement.GetRawText())), written.RootElement.GetRawText());
    }

    [Fact]
    public void Every_field_written_exists_in_the_OpenAPI_contract_with_the_same_type()
    {
        ChatRequest request = EveryField();
        request.IncludeUsage = true;
        using JsonDocument plain = RequestJson.Of(request);
        using JsonDocument streamed = RequestJson.Of(request, stream: true);
        Assert.Empty(OpenApiContract.Check(plain.RootElement, "CreateChatCompletionRequest"));
        Assert.Empty(OpenApiContract.Check(streamed.RootElement, "CreateChatCompletionRequest"));
    }

    [Fact]
    public void The_contract_check_catches_a_field_the_contract_does_not_have()
    {
        using JsonDocument bogus = JsonDocument.Parse("""{"model":"a/b","messages":[{"role":"user","content":"x"}],"temprature":1}""");
        Assert.Contains(OpenApiContract.Check(bogus.RootElement, "CreateChatCompletionRequest"), p => p.Contains("temprature"));
        using JsonDocument wrongType = JsonDocument.Parse("""{"model":"a/b","messages":[{"role":"user","content":"x"}],"seed":"42"}""");
        Assert.Contains(OpenApiContract.Check(wrongType.RootElement, "CreateChatCompletionRequest"), p => p.Contains("seed"));
    }

    [Fact]
    public void Unset_options_are_omitted()
    {
        using JsonDocument written = RequestJson.Of(new ChatRequest([ChatMessage.User("Hi")]));
        Assert.Equal("""{"model":"acme/model-1","messages":[{"role":"user","content":"Hi"}]}""", written.RootElement.GetRawText());
    }

    [Fact]
    public void A_streamed_request_asks_for_usage_unless_told_not_to()
    {
        using JsonDocument streamed = RequestJson.Of(new ChatRequest([ChatMessage.User("Hi")]), stream: true);
        Assert.True(streamed.RootElement.GetProperty("stream").GetBoolean());
        Assert.True(streamed.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());

        using JsonDocument without = RequestJson.Of(new ChatRequest([ChatMessage.User("Hi")]) { IncludeUsage = false }, stream: true);
        Assert.False(without.RootElement.TryGetProperty("stream_options", out _));

        using JsonDocument plain = RequestJson.Of(new ChatRequest([ChatMessage.User("Hi")]) { IncludeUsage = true });
        Assert.False(plain.RootElement.TryGetProperty("stream_options", out _));
        Assert.False(plain.RootElement.TryGetProperty("stream", out _));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("none")]
    [InlineData("required")]
    public void Tool_choice_modes_are_written_as_strings(string mode)
    {
        ChatToolChoice choice = mode switch { "auto" => ChatToolChoice.Auto, "none" => ChatToolChoice.None, _ => ChatToolChoice.Required };
        using JsonDocument written = RequestJson.Of(new ChatRequest([ChatMessage.User("Hi")]) { ToolChoice = choice });
        Assert.Equal(mode, written.RootElement.GetProperty("tool_choice").GetString());
    }

    [Fact]
    public void Response_formats_text_and_json_object_are_written_by_type()
    {
        using JsonDocument text = RequestJson.Of(new ChatRequest([ChatMessage.User("Hi")]) { ResponseFormat = ChatResponseFormat.Text });
        Assert.Equal("""{"type":"text"}""", text.RootElement.GetProperty("response_format").GetRawText());
        using JsonDocument json = RequestJson.Of(new ChatRequest([ChatMessage.User("Hi")]) { ResponseFormat = ChatResponseFormat.JsonObject });
        Assert.Equal("""{"type":"json_object"}""", json.RootElement.GetProperty("response_format").GetRawText());
    }

    [Fact]
    public void Vendor_fields_in_ExtraBody_are_sent_as_they_are()
    {
        var request = new ChatRequest([ChatMessage.User("Hi")]);
        request.ExtraBody["chat_template_kwargs"] = new JsonObject { ["enable_thinking"] = false };
        request.ExtraBody["top_k"] = 40;
        using JsonDocument written = RequestJson.Of(request);
        Assert.Equal("""{"enable_thinking":false}""", written.RootElement.GetProperty("chat_template_kwargs").GetRawText());
        Assert.Equal(40, written.RootElement.GetProperty("top_k").GetInt32());
    }

    [Fact]
    public void ExtraBody_may_not_repeat_a_field_the_client_writes()
    {
        var request = new ChatRequest([ChatMessage.User("Hi")]);
        request.ExtraBody["temperature"] = 1;
        var error = Assert.Throws<ArgumentException>(() => RequestJson.Of(request).Dispose());
        Assert.Contains("'temperature'", error.Message);
    }

    [Fact]
    public void Image_bytes_are_sent_as_a_data_url()
    {
        ChatContentPart part = ChatContentPart.FromImageBytes([1, 2, 3], "image/png");
        Assert.Equal("data:image/png;base64,AQID", part.ImageUrl);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("dots.are.not.allowed")]
    [InlineData("a1234567890123456789012345678901234567890123456789012345678901234")]
    public void Tool_names_outside_the_API_rule_are_rejected(string name)
    {
        Assert.Throws<ArgumentException>(() => ChatTool.Function(name, null, "{}"));
    }
}
