using System;
using System.Text.Json;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Generator;

[Trait("Category", "Core")]
public class StructuredOutputTests
{
    private static string Completion(string? content, string finish = "stop", string? refusal = null) =>
        JsonSerializerFree(content, finish, refusal);

    // Built by hand with Utf8JsonWriter so the test does not depend on the code under test.
    private static string JsonSerializerFree(string? content, string finish, string? refusal)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", "x");
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            if (content is null) w.WriteNull("content"); else w.WriteString("content", content);
            if (refusal is null) w.WriteNull("refusal"); else w.WriteString("refusal", refusal);
            w.WriteEndObject();
            w.WriteString("finish_reason", finish);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public async Task CompleteAsync_of_T_sends_the_strict_schema_and_returns_the_parsed_value()
    {
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("where is it?");
        Weather weather = await test.Client.CompleteAsync<Weather>(request);

        Assert.Equal(new Weather("sample", 1.5, new Point(1.5, 1.5)), weather);
        Assert.Null(request.ResponseFormat);
        using JsonDocument sent = JsonDocument.Parse(test.Gateway.Requests[0].BodyText);
        JsonElement format = sent.RootElement.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("weather_report", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        using JsonDocument schema = JsonDocument.Parse(GatewayJson.Schema<Weather>().ToArray());
        Assert.True(JsonElement.DeepEquals(schema.RootElement, format.GetProperty("json_schema").GetProperty("schema")));
        Assert.Empty(OpenApiContract.Check(sent.RootElement, "CreateChatCompletionRequest"));
    }

    [Fact]
    public async Task Recursive_and_nested_schemas_are_answered_and_parsed()
    {
        using var test = new TestGateway();
        TreeNode tree = await test.Client.CompleteAsync<TreeNode>(TestGateway.Ask("a tree"));
        Assert.Equal("sample", tree.Label);
        Person person = await test.Client.CompleteAsync<Person>(TestGateway.Ask("a person"));
        Assert.Equal("sample", person.FullName);
        Assert.Equal(Mood.Calm, person.Mood);
    }

    [Fact]
    public async Task The_streamed_counterpart_accumulates_then_parses()
    {
        using var test = new TestGateway();
        ChatCompletion completion = await test.Client.StreamAsync<Address>(TestGateway.Ask("address?")).ToCompletionAsync();
        Assert.Equal(new Address("sample", "sample", "sample"), completion.ParseContent<Address>());
    }

    [Fact]
    public async Task A_reply_that_does_not_fit_keeps_the_raw_text()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Json(200, Completion("""{"street":"s","city":7,"postCode":null}""")));
        var error = await Assert.ThrowsAsync<GatewayStructuredOutputException>(() => test.Client.CompleteAsync<Address>(TestGateway.Ask("x")));
        Assert.Equal("""{"street":"s","city":7,"postCode":null}""", error.RawText);
        Assert.Contains("$.city", error.Message);
        Assert.IsType<GatewayJsonException>(error.InnerException);
    }

    [Fact]
    public async Task Text_that_is_not_JSON_keeps_the_raw_text()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Json(200, Completion("Sure! Here is the address: 1 Main St")));
        var error = await Assert.ThrowsAsync<GatewayStructuredOutputException>(() => test.Client.CompleteAsync<Address>(TestGateway.Ask("x")));
        Assert.Equal("Sure! Here is the address: 1 Main St", error.RawText);
    }

    [Fact]
    public async Task A_refusal_is_reported_as_such()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Json(200, Completion(null, refusal: "I can't help with that.")));
        var error = await Assert.ThrowsAsync<GatewayStructuredOutputException>(() => test.Client.CompleteAsync<Address>(TestGateway.Ask("x")));
        Assert.Equal("I can't help with that.", error.Refusal);
        Assert.Contains("refused", error.Message);
    }

    [Fact]
    public async Task A_reply_cut_at_the_token_limit_says_so()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Json(200, Completion("""{"street":"s","ci""", finish: "length")));
        var error = await Assert.ThrowsAsync<GatewayStructuredOutputException>(() => test.Client.CompleteAsync<Address>(TestGateway.Ask("x")));
        Assert.Equal("length", error.FinishReason);
        Assert.Contains("MaxTokens", error.Message);
    }
}
