using System;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using AotGateway.Extensions.AI;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using AotGateway.Tests.Tools;
using Microsoft.Extensions.AI;
using Xunit;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace AotGateway.Tests.ExtensionsAI;

/// <summary>
/// Every <see cref="ChatOptions"/> member reaches the wire or is refused or documented; a Microsoft.Extensions.AI
/// release that adds a member fails the first test until someone decides what it means here.
/// </summary>
public class ChatOptionsConformanceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Members that become request fields (asserted below).</summary>
    private static readonly string[] s_mapped =
    [
        "AdditionalProperties", "AllowMultipleToolCalls", "FrequencyPenalty", "Instructions", "MaxOutputTokens", "ModelId",
        "PresencePenalty", "RawRepresentationFactory", "Reasoning", "ResponseFormat", "Seed", "StopSequences", "Temperature",
        "ToolMode", "Tools", "TopK", "TopP",
    ];

    /// <summary>Members with no Chat Completions meaning: refused when set (ConversationId, ContinuationToken) or harmless (AllowBackgroundResponses).</summary>
    private static readonly string[] s_unsupported = ["AllowBackgroundResponses", "ContinuationToken", "ConversationId"];

    [Fact]
    public void Every_ChatOptions_member_is_mapped_or_declared_unsupported()
    {
        string[] members = [.. typeof(ChatOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order(StringComparer.Ordinal)];
        Assert.Equal([.. s_mapped.Concat(s_unsupported).Order(StringComparer.Ordinal)], members);
    }

    [Fact]
    public async Task Every_mapped_member_set_at_once_reaches_the_request_body()
    {
        using var test = new TestGateway();
        var options = new ChatOptions
        {
            ModelId = FakeGateway.DefaultModel,
            Instructions = "Answer in French.",
            Temperature = 0.5f,
            TopP = 0.9f,
            TopK = 40,
            MaxOutputTokens = 100,
            StopSequences = ["END"],
            Seed = 7,
            PresencePenalty = 0.1f,
            FrequencyPenalty = 0.2f,
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.ExtraHigh, Output = ReasoningOutput.Full },
            AllowMultipleToolCalls = false,
            AllowBackgroundResponses = true,
            Tools = MoreTools.ToolSet.AsAITools(),
            ToolMode = ChatToolMode.RequireSpecific("shout"),
            ResponseFormat = Microsoft.Extensions.AI.ChatResponseFormat.Text,
            RawRepresentationFactory = _ => new ChatRequest { User = "user-42" },
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                ["as_float"] = 0.25f, ["as_decimal"] = 1.5m, ["as_short"] = (short)3, ["as_ulong"] = 9UL, ["as_bool"] = true,
                ["chat_template_kwargs"] = JsonDocument.Parse("""{"enable_thinking":false}""").RootElement,
            },
        };
        await test.Client.AsIChatClient().GetResponseAsync([new AiChatMessage(AiChatRole.User, "hi")], options).WaitAsync(Deadline);

        using JsonDocument sent = JsonDocument.Parse(test.Gateway.Requests[0].BodyText);
        JsonElement body = sent.RootElement;
        Assert.Equal(FakeGateway.DefaultModel, body.GetProperty("model").GetString());
        Assert.Equal("system", body.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("Answer in French.", body.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("hi", body.GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.Equal(0.5, body.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.9, body.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(40, body.GetProperty("top_k").GetInt32());
        Assert.Equal(100, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("END", body.GetProperty("stop")[0].GetString());
        Assert.Equal(7, body.GetProperty("seed").GetInt64());
        Assert.Equal(0.1, body.GetProperty("presence_penalty").GetDouble(), 3);
        Assert.Equal(0.2, body.GetProperty("frequency_penalty").GetDouble(), 3);
        Assert.Equal("xhigh", body.GetProperty("reasoning_effort").GetString());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("shout", body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("shout", body.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("text", body.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal("user-42", body.GetProperty("user").GetString());
        Assert.Equal(0.25, body.GetProperty("as_float").GetDouble(), 6);
        Assert.Equal(1.5m, body.GetProperty("as_decimal").GetDecimal());
        Assert.Equal(3, body.GetProperty("as_short").GetInt32());
        Assert.Equal(9UL, body.GetProperty("as_ulong").GetUInt64());
        Assert.True(body.GetProperty("as_bool").GetBoolean());
        Assert.False(body.GetProperty("chat_template_kwargs").GetProperty("enable_thinking").GetBoolean());
    }

    [Theory]
    [InlineData(ReasoningEffort.None, "none")]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.Medium, "medium")]
    [InlineData(ReasoningEffort.High, "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "xhigh")]
    public async Task Each_reasoning_effort_has_its_wire_word(ReasoningEffort effort, string wire)
    {
        using var test = new TestGateway();
        await test.Client.AsIChatClient().GetResponseAsync("hi", new ChatOptions { Reasoning = new ReasoningOptions { Effort = effort } }).WaitAsync(Deadline);
        using JsonDocument sent = JsonDocument.Parse(test.Gateway.Requests[0].BodyText);
        Assert.Equal(wire, sent.RootElement.GetProperty("reasoning_effort").GetString());
    }

    [Fact]
    public async Task What_the_raw_request_sets_wins_over_the_options_and_its_messages_come_first()
    {
        using var test = new TestGateway();
        var options = new ChatOptions
        {
            Temperature = 0.5f,
            RawRepresentationFactory = _ => new ChatRequest([AotGateway.ChatMessage.System("raw first")]) { Temperature = 0.1, ExtraBody = { ["top_k"] = 5 } },
            TopK = 40,
        };
        await test.Client.AsIChatClient().GetResponseAsync("hi", options).WaitAsync(Deadline);
        using JsonDocument sent = JsonDocument.Parse(test.Gateway.Requests[0].BodyText);
        Assert.Equal(0.1, sent.RootElement.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(5, sent.RootElement.GetProperty("top_k").GetInt32());
        Assert.Equal("raw first", sent.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("hi", sent.RootElement.GetProperty("messages")[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Options_without_a_Chat_Completions_meaning_are_refused_before_anything_is_sent()
    {
        using var test = new TestGateway();
        IChatClient chat = test.Client.AsIChatClient();
        var conversation = await Assert.ThrowsAsync<NotSupportedException>(() => chat.GetResponseAsync("hi", new ChatOptions { ConversationId = "conv_1" }));
        Assert.Contains("ConversationId", conversation.Message);
        var raw = await Assert.ThrowsAsync<NotSupportedException>(() => chat.GetResponseAsync("hi", new ChatOptions { RawRepresentationFactory = _ => "not a request" }));
        Assert.Contains("RawRepresentationFactory returned a String", raw.Message);
        await Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            await foreach (ChatResponseUpdate _ in chat.GetStreamingResponseAsync("hi", new ChatOptions { ContinuationToken = ResponseContinuationToken.FromBytes(new byte[] { 1 }) }))
            {
            }
        });
        Assert.Empty(test.Gateway.Requests);
    }
}
