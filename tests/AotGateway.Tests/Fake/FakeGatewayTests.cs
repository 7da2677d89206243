using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Linq;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Fake;

[Trait("Category", "Core")]
public class FakeGatewayTests
{
    private static FakeHttpRequest Post(string? authorization, string body, string path = "/v1/chat/completions")
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (authorization is not null)
            headers["Authorization"] = authorization;
        return new FakeHttpRequest("POST", path, headers, Encoding.UTF8.GetBytes(body));
    }

    private const string Hello = """{"model":"fake/echo-1","messages":[{"role":"user","content":"hello"}]}""";

    private static JsonElement ErrorOf(FakeReply reply)
    {
        using JsonDocument doc = JsonDocument.Parse(reply.BodyText);
        return doc.RootElement.GetProperty("error").Clone();
    }

    [Fact]
    public void Bearer_is_refused_with_the_gateway_kind_of_message()
    {
        FakeReply reply = FakeGateway.CreateDefault().Handle(Post("Bearer " + FakeGateway.DefaultKey, Hello));
        Assert.Equal(401, reply.Status);
        Assert.Contains("Api-Key", ErrorOf(reply).GetProperty("message").GetString());
        Assert.Equal("invalid_auth_scheme", ErrorOf(reply).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(null, "missing_api_key")]
    [InlineData("Api-Key wrong-key", "invalid_api_key")]
    [InlineData("Basic abc", "invalid_auth_scheme")]
    public void Bad_credentials_are_401(string? authorization, string code)
    {
        FakeReply reply = FakeGateway.CreateDefault().Handle(Post(authorization, Hello));
        Assert.Equal(401, reply.Status);
        Assert.Equal(code, ErrorOf(reply).GetProperty("code").GetString());
    }

    [Fact]
    public void An_unknown_slug_is_404_and_a_slug_outside_the_key_allow_list_is_403()
    {
        FakeGateway gateway = FakeGateway.CreateDefault().AddModel("acme/private-1").AddKey("limited", "fake/echo-1");
        Assert.Equal(404, gateway.Handle(Post("Api-Key " + FakeGateway.DefaultKey, Hello.Replace("fake/echo-1", "acme/nope"))).Status);
        Assert.Equal(403, gateway.Handle(Post("Api-Key limited", Hello.Replace("fake/echo-1", "acme/private-1"))).Status);
        Assert.Equal(200, gateway.Handle(Post("Api-Key limited", Hello)).Status);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"model":"fake/echo-1","messages":[]}""")]
    public void Invalid_bodies_are_400(string body)
    {
        FakeReply reply = FakeGateway.CreateDefault().Handle(Post("Api-Key " + FakeGateway.DefaultKey, body));
        Assert.Equal(400, reply.Status);
    }

    [Fact]
    public async Task The_request_rate_limit_answers_429_with_Retry_After_until_the_window_passes()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 24, 12, 0, 10, TimeSpan.Zero));
        FakeGateway gateway = FakeGateway.CreateDefault(clock).SetLimits(FakeGateway.DefaultModel, new FakeLimits { RequestsPerWindow = 2, Window = TimeSpan.FromMinutes(1) });
        using var test = new TestGateway(o => o.Retry = RetryPolicy.None, gateway, clock);
        await test.Client.CompleteAsync(TestGateway.Ask("one"));
        await test.Client.CompleteAsync(TestGateway.Ask("two"));
        var error = await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(TestGateway.Ask("three")));
        Assert.False(error.IsUsageLimit);
        Assert.Equal(TimeSpan.FromSeconds(50), error.RetryAfter);
        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal("You said: four", (await test.Client.CompleteAsync(TestGateway.Ask("four"))).Content);
    }

    [Fact]
    public async Task A_rate_limited_call_succeeds_after_the_client_waits_as_told()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        FakeGateway gateway = FakeGateway.CreateDefault(clock).SetLimits(FakeGateway.DefaultModel, new FakeLimits { RequestsPerWindow = 1, Window = TimeSpan.FromSeconds(1) });
        using var test = new TestGateway(null, gateway, clock);
        await test.Client.CompleteAsync(TestGateway.Ask("one"));
        ChatCompletion second = await test.Client.CompleteAsync(TestGateway.Ask("two"));
        Assert.Equal("You said: two", second.Content);
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.Delays);
    }

    [Fact]
    public async Task The_token_rate_limit_counts_prompt_and_completion_tokens()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        FakeGateway gateway = FakeGateway.CreateDefault(clock).SetLimits(FakeGateway.DefaultModel, new FakeLimits { TokensPerWindow = 10, Window = TimeSpan.FromMinutes(1) });
        using var test = new TestGateway(o => o.Retry = RetryPolicy.None, gateway, clock);
        ChatCompletion first = await test.Client.CompleteAsync(TestGateway.Ask("a few words here"));
        Assert.True(first.Usage!.TotalTokens >= 10);
        var error = await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(TestGateway.Ask("more")));
        Assert.Contains("tokens per minute", error.GatewayMessage);
    }

    [Fact]
    public async Task The_daily_usage_limit_is_a_usage_limit_until_midnight()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 24, 20, 0, 0, TimeSpan.Zero));
        FakeGateway gateway = FakeGateway.CreateDefault(clock).SetLimits(FakeGateway.DefaultModel, new FakeLimits { RequestsPerDay = 1 });
        using var test = new TestGateway(null, gateway, clock);
        await test.Client.CompleteAsync(TestGateway.Ask("one"));
        var error = await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(TestGateway.Ask("two")));
        Assert.True(error.IsUsageLimit);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), error.ResetsAt);
        Assert.Equal(2, gateway.Requests.Count);
        clock.Advance(TimeSpan.FromHours(4));
        Assert.Equal("You said: three", (await test.Client.CompleteAsync(TestGateway.Ask("three"))).Content);
    }

    [Fact]
    public async Task Limits_are_counted_per_key()
    {
        var clock = new TestClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock).AddKey("second-key", FakeGateway.DefaultModel)
            .SetLimits(FakeGateway.DefaultModel, new FakeLimits { RequestsPerDay = 1 });
        using var first = new TestGateway(o => o.Retry = RetryPolicy.None, gateway, clock);
        using var second = new TestGateway(o => { o.Retry = RetryPolicy.None; o.ApiKey = "second-key"; }, gateway, clock);
        await first.Client.CompleteAsync(TestGateway.Ask("a"));
        await second.Client.CompleteAsync(TestGateway.Ask("b"));
        await Assert.ThrowsAsync<GatewayRateLimitException>(() => first.Client.CompleteAsync(TestGateway.Ask("c")));
    }

    [Fact]
    public async Task A_request_with_tools_gets_a_call_with_arguments_valid_for_the_schema()
    {
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("weather in Paris?");
        request.Tools = [ChatTool.Function("get_weather", "Weather", """
            {"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer","minimum":1}},"required":["city","unit","days"],"additionalProperties":false}
            """)];
        ChatCompletion reply = await test.Client.CompleteAsync(request);
        Assert.Equal("tool_calls", reply.FinishReason);
        ChatToolCall call = Assert.Single(reply.ToolCalls);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("""{"city":"sample","unit":"celsius","days":1}""", call.Arguments);
        Assert.Null(reply.Content);

        request.Messages.Add(ChatMessage.Assistant(reply.ToolCalls));
        request.Messages.Add(ChatMessage.Tool(call.Id, "18C"));
        ChatCompletion answer = await test.Client.CompleteAsync(request);
        Assert.Equal("The tool returned: 18C", answer.Content);
        Assert.Equal("stop", answer.FinishReason);
    }

    [Fact]
    public async Task Parallel_tool_calls_call_every_tool_and_a_named_choice_calls_that_one()
    {
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("both");
        request.Tools = [ChatTool.Function("a", null, """{"type":"object","properties":{}}"""), ChatTool.Function("b", null, """{"type":"object","properties":{}}""")];
        request.ParallelToolCalls = true;
        Assert.Equal(["a", "b"], (await test.Client.CompleteAsync(request)).ToolCalls.Select(c => c.Name));
        request.ParallelToolCalls = null;
        request.ToolChoice = ChatToolChoice.Function("b");
        Assert.Equal(["b"], (await test.Client.CompleteAsync(request)).ToolCalls.Select(c => c.Name));
        request.ToolChoice = ChatToolChoice.None;
        Assert.Empty((await test.Client.CompleteAsync(request)).ToolCalls);
    }

    [Fact]
    public async Task A_json_schema_request_gets_json_valid_for_the_schema()
    {
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("describe");
        request.ResponseFormat = ChatResponseFormat.JsonSchema("person", """
            {"type":"object","properties":{"name":{"type":"string"},"born":{"type":"string","format":"date"},"tags":{"type":"array","items":{"type":"string"}},"boss":{"anyOf":[{"$ref":"#/$defs/p"},{"type":"null"}]}},
             "required":["name","born","tags","boss"],"additionalProperties":false,
             "$defs":{"p":{"type":"object","properties":{"name":{"type":["string","null"]}},"required":["name"],"additionalProperties":false}}}
            """);
        ChatCompletion reply = await test.Client.CompleteAsync(request);
        Assert.Equal("""{"name":"sample","born":"2026-01-02","tags":["sample"],"boss":{"name":"sample"}}""", reply.Content);
    }

    [Fact]
    public async Task Max_tokens_truncates_with_finish_reason_length()
    {
        using var test = new TestGateway();
        ChatRequest request = TestGateway.Ask("one two three four five");
        request.MaxTokens = 3;
        ChatCompletion reply = await test.Client.CompleteAsync(request);
        Assert.Equal("length", reply.FinishReason);
        Assert.Equal("You said: one", reply.Content);
    }

    [Fact]
    public async Task A_reasoning_model_returns_reasoning_content()
    {
        using var test = new TestGateway();
        ChatCompletion reply = await test.Client.CompleteAsync(TestGateway.Ask("why", FakeGateway.ReasoningModel));
        Assert.Equal("The last message has 1 words; answer it directly.", reply.Message!.Reasoning);
        Assert.Equal("You said: why", reply.Content);
    }

    [Fact]
    public void Replies_are_deterministic()
    {
        var clock = new TestClock();
        string a = FakeGateway.CreateDefault(clock).Handle(Post("Api-Key " + FakeGateway.DefaultKey, Hello)).BodyText;
        string b = FakeGateway.CreateDefault(clock).Handle(Post("Api-Key " + FakeGateway.DefaultKey, Hello)).BodyText;
        Assert.Equal(a, b);
    }

    [Fact]
    public void Unknown_paths_are_404()
    {
        Assert.Equal(404, FakeGateway.CreateDefault().Handle(Post("Api-Key " + FakeGateway.DefaultKey, Hello, "/v1/embeddings")).Status);
    }
}
