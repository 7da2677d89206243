using System.Collections.Generic;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Tools;

/// <summary>Tool calls recorded from a real server (Fixtures/real), read and dispatched through a generated set.</summary>
[Trait("Category", "Core")]
public class RecordedToolCallTests
{
    [Theory]
    [InlineData("ParallelToolCalls.1", new[] { "Sunny in Santiago", "Sunny in Karachi" })]
    [InlineData("ConsecutiveToolCalls.1", new[] { "Sunny in Osaka" })]
    [InlineData("NoParameterToolWorks.1", new[] { "teal" })]
    public async Task Every_recorded_call_dispatches(string fixture, string[] expected)
    {
        ChatCompletion reply = ChatCompletionReader.Read(Fixtures.Response(fixture), null);
        var results = new List<string>();
        foreach (ChatToolCall call in reply.ToolCalls)
            results.Add(await FixtureTools.ToolSet.InvokeAsync(call));
        Assert.Equal(expected, results);
    }

    [Fact]
    public async Task A_recorded_parallel_reply_drives_the_loop()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Json(200, System.Text.Encoding.UTF8.GetString(Fixtures.Response("ParallelToolCalls.1"))));
        ToolLoopResult result = await test.Client.RunToolsAsync(TestGateway.Ask("Weather in Santiago and Karachi?"), FixtureTools.ToolSet);
        Assert.Equal(2, result.ToolCalls);
        Assert.Equal("The tool returned: Sunny in Santiago; Sunny in Karachi", result.Completion.Content);
    }
}

[Trait("Category", "Core")]
public static partial class FixtureTools
{
    [GatewayTool]
    public static string GetWeatherForCity(string city_name) => "Sunny in " + city_name;

    [GatewayTool]
    public static string GetFavoriteColor() => "teal";
}
