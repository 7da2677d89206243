using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AotGateway.Extensions.AI;
using AotGateway.Testing;
using AotGateway.Tests.Generator;
using AotGateway.Tests.Support;
using AotGateway.Tests.Tools;
using Microsoft.Extensions.AI;
using Xunit;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace AotGateway.Tests.ExtensionsAI;

/// <summary>The IChatClient adapter against the fake gateway: plain, streamed, tools through FunctionInvokingChatClient, structured output.</summary>
public class GatewayChatClientTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_plain_reply_maps_text_ids_finish_reason_usage_and_raw_reply()
    {
        using var test = new TestGateway();
        IChatClient chat = test.Client.AsIChatClient();
        ChatResponse response = await chat.GetResponseAsync("hello").WaitAsync(Deadline);
        Assert.Equal("You said: hello", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.NotNull(response.ResponseId);
        Assert.Equal(FakeGateway.DefaultModel, response.ModelId);
        Assert.True(response.Usage!.TotalTokenCount > 0);
        Assert.IsType<ChatCompletion>(response.RawRepresentation);
        Assert.Equal(AiChatRole.Assistant, response.Messages.Single().Role);
    }

    [Fact]
    public async Task Options_become_request_fields()
    {
        using var test = new TestGateway();
        var options = new ChatOptions
        {
            ModelId = FakeGateway.DefaultModel,
            Temperature = 0.5f,
            TopP = 0.9f,
            MaxOutputTokens = 100,
            StopSequences = ["END"],
            Seed = 7,
            PresencePenalty = 0.1f,
            FrequencyPenalty = 0.2f,
            AllowMultipleToolCalls = false,
            Tools = MoreTools.ToolSet.AsAITools(),
            ToolMode = ChatToolMode.RequireSpecific("shout"),
            AdditionalProperties = new AdditionalPropertiesDictionary { ["chat_template_kwargs"] = JsonDocument.Parse("""{"enable_thinking":false}""").RootElement },
        };
        await test.Client.AsIChatClient().GetResponseAsync([new AiChatMessage(AiChatRole.System, "be brief"), new AiChatMessage(AiChatRole.User, "hi")], options).WaitAsync(Deadline);
        using JsonDocument sent = JsonDocument.Parse(test.Gateway.Requests[0].BodyText);
        JsonElement body = sent.RootElement;
        Assert.Equal(0.5, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.9, body.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(100, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("END", body.GetProperty("stop")[0].GetString());
        Assert.Equal(7, body.GetProperty("seed").GetInt64());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("shout", body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.True(body.GetProperty("tools")[0].GetProperty("function").GetProperty("strict").GetBoolean());
        Assert.Equal("shout", body.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.False(body.GetProperty("chat_template_kwargs").GetProperty("enable_thinking").GetBoolean());
        Assert.Equal("system", body.GetProperty("messages")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_streamed_reply_arrives_as_text_updates_then_one_closing_update()
    {
        using var test = new TestGateway();
        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in test.Client.AsIChatClient().GetStreamingResponseAsync("stream this"))
            updates.Add(update);
        Assert.True(updates.Count > 2);
        Assert.Equal("You said: stream this", string.Concat(updates.Select(u => u.Text)));
        ChatResponseUpdate last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        Assert.Contains(last.Contents, c => c is UsageContent { Details.TotalTokenCount: > 0 });
        Assert.All(updates, u => Assert.NotNull(u.ResponseId));
        ChatResponse whole = updates.ToChatResponse();
        Assert.Equal("You said: stream this", whole.Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FunctionInvokingChatClient_runs_a_generated_tool_set(bool streamed)
    {
        using var test = new TestGateway();
        IChatClient chat = new ChatClientBuilder(test.Client.AsIChatClient()).UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = MoreTools.ToolSet.AsAITools() };
        string text;
        if (streamed)
        {
            var all = new StringBuilder();
            await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync("shout hello", options))
                all.Append(update.Text);
            text = all.ToString();
        }
        else
        {
            text = (await chat.GetResponseAsync("shout hello", options).WaitAsync(Deadline)).Text;
        }
        Assert.StartsWith("The tool returned: ", text);
        string shouted = text["The tool returned: ".Length..];
        Assert.Equal(shouted.ToUpperInvariant(), shouted);
        Assert.Equal(2, test.Gateway.Requests.Count);
        string second = test.Gateway.Requests[1].BodyText;
        Assert.Contains("\"tool_calls\":[", second);
        Assert.Contains("\"role\":\"tool\"", second);
    }

    [Fact]
    public async Task A_generated_tool_as_an_AIFunction_reports_bad_arguments_with_a_typed_error()
    {
        AIFunction shout = (AIFunction)MoreTools.ToolSet.AsAITools()[0];
        Assert.Equal("shout", shout.Name);
        Assert.Equal("Upper-cases text.", shout.Description);
        Assert.Equal("object", shout.JsonSchema.GetProperty("type").GetString());
        Assert.Equal("HI", await shout.InvokeAsync(new AIFunctionArguments { ["text"] = "hi" }));
        var ex = await Assert.ThrowsAsync<GatewayToolException>(async () => await shout.InvokeAsync(new AIFunctionArguments { ["text"] = 5 }));
        Assert.Equal(GatewayToolFailure.InvalidArguments, ex.Failure);
    }

    [Fact]
    public async Task A_json_schema_response_format_gets_structured_output()
    {
        using var test = new TestGateway();
        using JsonDocument schema = JsonDocument.Parse(GatewayJson.Schema<Weather>().ToArray());
        var options = new ChatOptions { ResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone(), "weather_report") };
        ChatResponse response = await test.Client.AsIChatClient().GetResponseAsync("weather in Oslo", options).WaitAsync(Deadline);
        Weather weather = GatewayJson.Deserialize<Weather>(response.Text);
        Assert.False(string.IsNullOrEmpty(weather.City));
        Assert.Contains("\"json_schema\"", test.Gateway.Requests[0].BodyText);
    }

    [Fact]
    public async Task Tool_calls_and_results_in_the_history_go_out_as_tool_messages()
    {
        using var test = new TestGateway();
        AiChatMessage[] history =
        [
            new(AiChatRole.User, "shout hi"),
            new(AiChatRole.Assistant, [new FunctionCallContent("call_9", "shout", new Dictionary<string, object?> { ["text"] = "hi" })]),
            new(AiChatRole.Tool, [new FunctionResultContent("call_9", "HI")]),
        ];
        ChatResponse response = await test.Client.AsIChatClient().GetResponseAsync(history).WaitAsync(Deadline);
        Assert.Equal("The tool returned: HI", response.Text);
        using JsonDocument sent = JsonDocument.Parse(test.Gateway.Requests[0].BodyText);
        JsonElement messages = sent.RootElement.GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        JsonElement call = messages[1].GetProperty("tool_calls")[0];
        Assert.Equal("call_9", call.GetProperty("id").GetString());
        Assert.Equal("shout", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"text":"hi"}""", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("tool", messages[2].GetProperty("role").GetString());
        Assert.Equal("call_9", messages[2].GetProperty("tool_call_id").GetString());
        Assert.Equal("HI", messages[2].GetProperty("content").GetString());
    }

    [Fact]
    public void GetService_returns_metadata_and_the_underlying_client()
    {
        using var test = new TestGateway();
        IChatClient chat = test.Client.AsIChatClient();
        ChatClientMetadata metadata = chat.GetService<ChatClientMetadata>()!;
        Assert.Equal(test.Client.ProviderName, metadata.ProviderName);
        Assert.Equal("gateway.test", metadata.ProviderName);
        Assert.Equal(test.Client.Endpoint, metadata.ProviderUri);
        Assert.Equal(FakeGateway.DefaultModel, metadata.DefaultModelId);
        Assert.Same(test.Client, chat.GetService<GatewayClient>());
        Assert.Same(chat, chat.GetService<IChatClient>());
        Assert.Null(chat.GetService<string>());
        Assert.Null(chat.GetService<GatewayClient>("keyed"));
    }

    [Fact]
    public async Task Gateway_errors_surface_as_the_typed_exceptions()
    {
        using var test = new TestGateway(o => o.ApiKey = "wrong-key");
        await Assert.ThrowsAsync<GatewayAuthenticationException>(() => test.Client.AsIChatClient().GetResponseAsync("x").WaitAsync(Deadline));
    }

    [Fact]
    public async Task Image_contents_go_out_as_image_parts()
    {
        using var test = new TestGateway();
        var message = new AiChatMessage(AiChatRole.User, [
            new TextContent("What is in these?"),
            new UriContent(new Uri("https://example.com/cat.png"), "image/png"),
            new DataContent(new byte[] { 1, 2, 3 }, "image/png"),
        ]);
        await test.Client.AsIChatClient().GetResponseAsync([message]).WaitAsync(Deadline);
        using JsonDocument sent = JsonDocument.Parse(test.Gateway.Requests[0].BodyText);
        JsonElement parts = sent.RootElement.GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("text", parts[0].GetProperty("type").GetString());
        Assert.Equal("https://example.com/cat.png", parts[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("data:image/png;base64,AQID", parts[2].GetProperty("image_url").GetProperty("url").GetString());
    }
}
