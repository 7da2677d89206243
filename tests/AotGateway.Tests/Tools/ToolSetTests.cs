using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AotGateway.Tests.Tools;

/// <summary>The generated tool set: definitions, argument parsing of every parameter shape, dispatch and results.</summary>
[Trait("Category", "Core")]
public class ToolSetTests
{
    private static ChatToolCall Call(string name, string arguments) => new("call_1", name, arguments);

    private static Task<string> Invoke(string name, string arguments) => SampleTools.ToolSet.InvokeAsync(Call(name, arguments)).AsTask();

    [Fact]
    public void The_set_defines_every_tool_with_a_strict_schema()
    {
        IReadOnlyList<ChatTool> tools = SampleTools.ToolSet.Definitions;
        Assert.Equal(["get_weather", "add", "echo", "remember", "explode", "today", "path", "wait"], [.. MapNames(tools)]);
        Assert.All(tools, t => Assert.True(t.Strict));
        ChatTool weather = tools[0];
        Assert.Equal("Gets the current weather for a city.", weather.Description);
        using JsonDocument schema = JsonDocument.Parse(weather.ParametersSchema);
        JsonElement root = schema.RootElement;
        Assert.Equal("object", root.GetProperty("type").GetString());
        Assert.False(root.GetProperty("additionalProperties").GetBoolean());
        // Strict mode lists every property as required; the optional ones accept null instead.
        Assert.Equal(["city", "unit", "days"], [.. Strings(root.GetProperty("required"))]);
        JsonElement props = root.GetProperty("properties");
        Assert.Equal("The city, e.g. Oslo.", props.GetProperty("city").GetProperty("description").GetString());
        Assert.Equal("string", props.GetProperty("city").GetProperty("type").GetString());
        Assert.Equal(["integer", "null"], [.. Strings(props.GetProperty("days").GetProperty("type"))]);
        Assert.Contains("Fahrenheit", props.GetProperty("unit").GetRawText());
        Assert.Equal("The first addend.", JsonDocument.Parse(tools[1].ParametersSchema).RootElement.GetProperty("properties").GetProperty("a").GetProperty("description").GetString());
    }

    private static List<string> MapNames(IReadOnlyList<ChatTool> tools)
    {
        var names = new List<string>();
        foreach (ChatTool t in tools)
            names.Add(t.Name);
        return names;
    }

    private static List<string> Strings(JsonElement array)
    {
        var list = new List<string>();
        foreach (JsonElement e in array.EnumerateArray())
            list.Add(e.GetString()!);
        return list;
    }

    [Fact]
    public async Task Optional_parameters_take_their_defaults_when_absent_or_null()
    {
        Assert.Equal("""{"City":"Oslo","Celsius":71.9,"Location":{"X":3,"Y":0}}""", await Invoke("get_weather", """{"city":"Oslo"}"""));
        Assert.Equal("""{"City":"Oslo","Celsius":71.9,"Location":{"X":3,"Y":0}}""", await Invoke("get_weather", """{"city":"Oslo","unit":null,"days":null}"""));
        Assert.Equal("""{"City":"Oslo","Celsius":20.5,"Location":{"X":1,"Y":0}}""", await Invoke("get_weather", """{"city":"Oslo","unit":"Celsius","days":1}"""));
    }

    [Fact]
    public async Task Results_are_written_by_their_type()
    {
        Assert.Equal("4294967294", await Invoke("add", """{"a":2147483647,"b":2147483647}"""));
        Assert.Equal("hello", await Invoke("echo", """{"text":"hello"}"""));
        Assert.Equal("\"2026-11-27\"", await Invoke("today", ""));
        Assert.Equal("""[{"X":1.5,"Y":3},{"X":0,"Y":-1.5}]""", await Invoke("path", """{"points":[{"X":1,"Y":2},{"X":0,"Y":-1}],"scale":null}"""));
        Assert.Equal("""[{"X":2,"Y":4}]""", await Invoke("path", """{"points":[{"X":1,"Y":2}],"scale":2}"""));
    }

    [Fact]
    public async Task A_tool_with_no_result_answers_ok()
    {
        Assert.Equal(GatewayToolSupport.NoResult, await Invoke("remember", """{"notes":["a","b"],"tag":"t"}"""));
        Assert.Equal(["a", "b", "t"], SampleTools.LastNotes);
        Assert.Equal(GatewayToolSupport.NoResult, await Invoke("wait", """{"milliseconds":1}"""));
    }

    [Fact]
    public async Task A_tool_without_parameters_accepts_empty_arguments()
    {
        Assert.Equal("\"2026-11-27\"", await Invoke("today", ""));
        Assert.Equal("\"2026-11-27\"", await Invoke("today", "{}"));
    }

    [Theory]
    [InlineData("""{"city":5}""", "$.city")]
    [InlineData("""{"unit":"Celsius"}""", "city")]
    [InlineData("""{"city":"Oslo","unit":"Kelvin"}""", "$.unit")]
    [InlineData("""{"city":"Oslo","days":1.5}""", "$.days")]
    [InlineData("""{"city":""", "do not fit")]
    [InlineData("""not json""", "do not fit")]
    public async Task Arguments_that_do_not_fit_are_a_typed_error_naming_the_problem(string arguments, string expected)
    {
        var ex = await Assert.ThrowsAsync<GatewayToolException>(() => Invoke("get_weather", arguments));
        Assert.Equal(GatewayToolFailure.InvalidArguments, ex.Failure);
        Assert.Equal("get_weather", ex.ToolName);
        Assert.Contains(expected, ex.Message);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Fact]
    public async Task An_unknown_tool_is_a_typed_error()
    {
        var ex = await Assert.ThrowsAsync<GatewayToolException>(() => Invoke("launch_rockets", "{}"));
        Assert.Equal(GatewayToolFailure.UnknownTool, ex.Failure);
        Assert.False(SampleTools.ToolSet.Contains("launch_rockets"));
        Assert.True(SampleTools.ToolSet.Contains("add"));
    }

    [Fact]
    public async Task What_a_tool_throws_is_not_wrapped()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Invoke("explode", """{"reason":"r"}"""));
        Assert.Contains("secret detail: r", ex.Message);
    }

    [Fact]
    public async Task Cancellation_reaches_the_tool()
    {
        using var cts = new CancellationTokenSource();
        ValueTask<string> running = SampleTools.ToolSet.InvokeAsync(Call("wait", """{"milliseconds":60000}"""), cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Calls_are_recognised_by_typed_tool_not_by_string()
    {
        IReadOnlyList<ChatToolCall> calls = [Call("echo", """{"text":"x"}"""), Call("add", """{"a":1,"b":2}""")];
        Assert.True(calls.TryGet(SampleTools.AddTool, out SampleTools.AddArguments add));
        Assert.Equal(new SampleTools.AddArguments(1, 2), add);
        Assert.False(calls.TryGet(SampleTools.GetWeatherTool, out _));
        Assert.True(SampleTools.EchoAsyncTool.Matches(calls[0]));
        Assert.Throws<GatewayToolException>(() => SampleTools.AddTool.ParseArguments(calls[0]));
        IReadOnlyList<ChatToolCall> bad = [Call("add", """{"a":"one"}""")];
        Assert.Equal(GatewayToolFailure.InvalidArguments, Assert.Throws<GatewayToolException>(() => bad.TryGet(SampleTools.AddTool, out _)).Failure);
    }

    [Fact]
    public async Task Sets_combine_and_refuse_duplicate_names()
    {
        GatewayToolSet both = GatewayToolSet.Combine(SampleTools.ToolSet, MoreTools.ToolSet);
        Assert.Equal(SampleTools.ToolSet.Definitions.Count + 1, both.Definitions.Count);
        Assert.Equal("6", await both.InvokeAsync(Call("add", """{"a":2,"b":4}""")));
        Assert.Equal("HI", await both.InvokeAsync(Call("shout", """{"text":"hi"}""")));
        Assert.Throws<ArgumentException>(() => GatewayToolSet.Combine(SampleTools.ToolSet, SampleTools.ToolSet));
    }
}

[Trait("Category", "Core")]
public static partial class MoreTools
{
    [GatewayTool(Description = "Upper-cases text.")]
    public static string Shout(string text) => text.ToUpperInvariant();
}
