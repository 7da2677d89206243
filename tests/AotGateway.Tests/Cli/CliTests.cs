using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Cli;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Cli;

public class CliTests
{
    private static Task<CliRun> RunAsync(Dictionary<string, string>? environment, string? input, params string[] args) =>
        CliRunner.RunAsync(environment, input, args);

    [Fact]
    public async Task Without_a_key_chat_streams_from_the_built_in_fake_and_says_so()
    {
        CliRun run = await RunAsync(null, null, "chat", "hello", "there");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("You said: hello there\n", run.Output);
        Assert.Contains("BASETEN_API_KEY is not set", run.Error);
        Assert.Contains("fake gateway", run.Error);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tools_run_the_built_in_sample_tools_and_show_each_call(bool streamed)
    {
        CliRun run = streamed
            ? await RunAsync(null, null, "chat", "--tools", "What time is it?")
            : await RunAsync(null, null, "chat", "--tools", "--no-stream", "What time is it?");
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^The tool returned: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\n$", run.Output);
        Assert.Contains("aotgw: tool get_time({}) -> ", run.Error);
        // Each call is shown as it starts, then as it completes.
        int started = run.Error.IndexOf("aotgw: tool get_time({}) started", StringComparison.Ordinal);
        Assert.InRange(started, 0, run.Error.IndexOf("aotgw: tool get_time({}) -> ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sample_calculator_computes_exactly_and_reports_division_by_zero()
    {
        Assert.Equal("0.3", await AotGateway.Cli.Samples.SampleTools.ToolSet.InvokeAsync(new ChatToolCall("c", "calculate", """{"a":0.1,"operation":"Add","b":0.2}""")));
        var zero = await Assert.ThrowsAsync<ArgumentException>(() => AotGateway.Cli.Samples.SampleTools.ToolSet.InvokeAsync(new ChatToolCall("c", "calculate", """{"a":1,"operation":"Divide","b":0}""")).AsTask());
        Assert.Equal("Division by zero.", zero.Message);
    }

    [Fact]
    public async Task No_stream_prints_the_whole_reply()
    {
        CliRun run = await RunAsync(null, null, "chat", "--no-stream", "-s", "be brief", "hi");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("You said: hi\n", run.Output);
    }

    [Fact]
    public async Task Reasoning_is_shown_on_stderr_when_asked()
    {
        CliRun run = await RunAsync(null, null, "chat", "-m", FakeGateway.ReasoningModel, "--show-reasoning", "why");
        Assert.Equal("You said: why\n", run.Output);
        Assert.Contains("answer it directly", run.Error);
    }

    [Fact]
    public async Task With_a_key_it_uses_the_configured_gateway()
    {
        FakeGateway gateway = FakeGateway.CreateDefault().AddKey("env-key", FakeGateway.DefaultModel);
        await using LoopbackGatewayServer server = LoopbackGatewayServer.Start(gateway);
        var environment = new Dictionary<string, string>
        {
            ["BASETEN_API_KEY"] = "env-key",
            ["BASETEN_BASE_URL"] = server.BaseUrl.ToString(),
            ["BASETEN_MODEL"] = FakeGateway.DefaultModel,
        };
        CliRun run = await RunAsync(environment, null, "chat", "over", "sockets");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("You said: over sockets\n", run.Output);
        Assert.DoesNotContain("fake gateway", run.Error);
        Assert.Equal("Api-Key env-key", Assert.Single(gateway.Requests).Header("Authorization"));
    }

    [Theory]
    [InlineData("wrong-key", FakeGateway.DefaultModel, 3)]
    [InlineData("env-key", "acme/unknown", 4)]
    public async Task Failures_are_one_line_on_stderr_with_their_exit_code(string key, string model, int exitCode)
    {
        FakeGateway gateway = FakeGateway.CreateDefault().AddKey("env-key", FakeGateway.DefaultModel);
        await using LoopbackGatewayServer server = LoopbackGatewayServer.Start(gateway);
        var environment = new Dictionary<string, string> { ["BASETEN_API_KEY"] = key, ["BASETEN_BASE_URL"] = server.BaseUrl.ToString() };
        CliRun run = await RunAsync(environment, null, "chat", "-m", model, "hi");
        Assert.Equal(exitCode, run.ExitCode);
        Assert.StartsWith("aotgw: ", run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain(key == "wrong-key" ? "wrong-key" : "env-key", run.Error);
    }

    [Fact]
    public async Task A_connection_failure_exits_with_the_connection_code()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        var environment = new Dictionary<string, string> { ["BASETEN_API_KEY"] = "k", ["BASETEN_BASE_URL"] = $"http://127.0.0.1:{port}/v1", ["BASETEN_MODEL"] = "a/b" };
        CliRun run = await RunAsync(environment, null, "chat", "--no-stream", "hi");
        Assert.Equal(10, run.ExitCode);
        Assert.Contains("Could not reach", run.Error);
    }

    [Theory]
    [InlineData()]
    [InlineData("chat")]
    [InlineData("chat", "-m")]
    [InlineData("chat", "--bogus", "x")]
    [InlineData("frobnicate")]
    [InlineData("sse", "explode")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        CliRun run = await RunAsync(null, null, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("aotgw", run.Error);
    }

    [Fact]
    public async Task A_bad_slug_is_a_usage_error_without_parameter_noise()
    {
        CliRun run = await RunAsync(null, null, "chat", "-m", "no-slash", "hi");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("org/model", run.Error);
        Assert.DoesNotContain("Parameter", run.Error);
    }

    [Theory]
    [InlineData("weather", "temperature_c")]
    [InlineData("contact", "phones")]
    public async Task Schema_samples_print_the_parsed_structured_output(string sample, string field)
    {
        CliRun streamed = await RunAsync(null, null, "chat", "--schema", sample, "tell me");
        CliRun plain = await RunAsync(null, null, "chat", "--no-stream", "--schema", sample, "tell me");
        Assert.Equal(0, streamed.ExitCode);
        Assert.Equal(streamed.Output, plain.Output);
        using var doc = System.Text.Json.JsonDocument.Parse(streamed.Output);
        Assert.True(doc.RootElement.TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("weather")]
    [InlineData("contact")]
    public async Task Partial_writes_one_line_of_JSON_per_change_ending_with_the_final_object(string sample)
    {
        CliRun partial = await RunAsync(null, null, "chat", "--schema", sample, "--partial", "tell me");
        CliRun plain = await RunAsync(null, null, "chat", "--no-stream", "--schema", sample, "tell me");
        Assert.Equal(0, partial.ExitCode);
        string[] lines = partial.Output.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length >= 4, partial.Output);
        using var final = System.Text.Json.JsonDocument.Parse(plain.Output);
        using (var last = System.Text.Json.JsonDocument.Parse(lines[^1]))
            Assert.True(System.Text.Json.JsonElement.DeepEquals(final.RootElement, last.RootElement), lines[^1]);
        int members = -1;
        foreach (string line in lines)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            int count = 0;
            foreach (System.Text.Json.JsonProperty member in doc.RootElement.EnumerateObject())
            {
                count++;
                // A member shown is the final's (a list may still lack elements, each shown whole).
                System.Text.Json.JsonElement whole = final.RootElement.GetProperty(member.Name);
                if (member.Value.ValueKind == System.Text.Json.JsonValueKind.Array)
                {
                    int i = 0;
                    foreach (System.Text.Json.JsonElement element in member.Value.EnumerateArray())
                        Assert.True(System.Text.Json.JsonElement.DeepEquals(element, whole[i++]), line);
                }
                else if (member.Value.ValueKind != System.Text.Json.JsonValueKind.Object)
                {
                    Assert.True(System.Text.Json.JsonElement.DeepEquals(member.Value, whole), line);
                }
            }
            Assert.True(count >= members, "a member disappeared: " + line);
            members = count;
        }
    }

    [Fact]
    public async Task Partial_without_a_streamed_schema_reply_is_a_usage_error()
    {
        CliRun run = await RunAsync(null, null, "chat", "--partial", "x");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--partial needs --schema", run.Error);
        run = await RunAsync(null, null, "chat", "--schema", "weather", "--no-stream", "--partial", "x");
        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task An_unknown_schema_sample_is_a_usage_error()
    {
        CliRun run = await RunAsync(null, null, "chat", "--schema", "nope", "x");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("weather, contact", run.Error);
    }

    [Fact]
    public async Task Sse_decode_prints_one_json_object_per_event_with_absent_fields_omitted()
    {
        string stream = ": hello\n\nevent: ping\nid: 7\nretry: 1500\ndata: a\ndata: b\n\ndata: {\"x\":1}\n\n";
        CliRun run = await RunAsync(null, stream, "sse", "decode", "-");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("""
            {"event":"ping","data":"a\nb","id":"7","retry":1500}
            {"data":"{\"x\":1}"}

            """.Replace("\r\n", "\n"), run.Output);
    }

    [Fact]
    public async Task Sse_decode_reports_a_missing_file()
    {
        CliRun run = await RunAsync(null, null, "sse", "decode", "/nonexistent/capture.sse");
        Assert.Equal(13, run.ExitCode);
        Assert.Contains("cannot open", run.Error);
    }

    [Fact]
    public async Task Sse_accumulate_prints_the_final_message()
    {
        string path = Path.Combine(Fixtures.RealDirectory, "StreamingStructuredRefusalWorks.1.response.sse");
        CliRun run = await RunAsync(null, null, "sse", "accumulate", path);
        Assert.Equal(0, run.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.Equal("stop", doc.RootElement.GetProperty("finish_reason").GetString());
        Assert.StartsWith("I'm sorry", doc.RootElement.GetProperty("content").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc.RootElement.GetProperty("tool_calls").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc.RootElement.GetProperty("reasoning_content").ValueKind);
        Assert.True(doc.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Sse_accumulate_of_a_cut_stream_prints_what_arrived_and_fails()
    {
        string stream = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"}}]}\n\n";
        CliRun run = await RunAsync(null, stream, "sse", "accumulate");
        Assert.Equal(11, run.ExitCode);
        Assert.Contains("\"content\":\"partial\"", run.Output);
        Assert.Contains("cut off", run.Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("chat", "--help")]
    [InlineData("chat", "-m", "a/b", "-h")]
    [InlineData("sse", "--help")]
    public async Task Help_asked_for_goes_to_stdout_and_exits_0(params string[] args)
    {
        CliRun run = await RunAsync(null, null, args);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Output);
        Assert.Contains("aotgw chat", run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task No_arguments_is_a_usage_error_on_stderr()
    {
        CliRun run = await RunAsync(null, null);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("Usage:", run.Error);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("-V")]
    public async Task Version_goes_to_stdout(string flag)
    {
        CliRun run = await RunAsync(null, null, flag);
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^aotgw \d+\.\d+\.\d+\S*\n$", run.Output);
    }

    [Fact]
    public async Task Double_dash_ends_options_so_a_prompt_may_start_with_a_dash()
    {
        CliRun run = await RunAsync(null, null, "chat", "--no-stream", "--", "-1", "--help", "is", "odd?");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("You said: -1 --help is odd?\n", run.Output);
    }

    [Theory]
    [InlineData(null, "no model: pass -m org/model or set BASETEN_MODEL")]
    [InlineData("llama", "BASETEN_MODEL 'llama' is not a model slug")]
    public async Task Model_errors_speak_of_the_CLI_s_own_switches(string? environmentModel, string expected)
    {
        var environment = new Dictionary<string, string> { ["BASETEN_API_KEY"] = "k", ["BASETEN_BASE_URL"] = "http://127.0.0.1:9/v1" };
        if (environmentModel is not null)
            environment["BASETEN_MODEL"] = environmentModel;
        CliRun run = await RunAsync(environment, null, "chat", "hi");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("ChatRequest", run.Error);
        Assert.DoesNotContain("GatewayClientOptions", run.Error);
    }

    [Theory]
    [InlineData("http://gateway.example/v1", "uses plain http")]
    [InlineData("ftp://gateway.example/v1", "is not an http(s) URL")]
    [InlineData("not a url", "is not an http(s) URL")]
    public async Task A_bad_base_URL_is_named_by_its_variable_without_library_switches(string url, string expected)
    {
        var environment = new Dictionary<string, string> { ["BASETEN_API_KEY"] = "k", ["BASETEN_BASE_URL"] = url, ["BASETEN_MODEL"] = "a/b" };
        CliRun run = await RunAsync(environment, null, "chat", "hi");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("BASETEN_BASE_URL", run.Error);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("AllowInsecureHttp", run.Error);
    }

    [Fact]
    public async Task Sse_decode_of_a_directory_says_it_is_a_directory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "aotgw-dir-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            CliRun run = await RunAsync(null, null, "sse", "decode", directory);
            Assert.Equal(13, run.ExitCode);
            Assert.Contains("is a directory", run.Error);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public async Task A_cut_off_captured_stream_reads_as_a_captured_stream()
    {
        CliRun run = await RunAsync(null, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n", "sse", "accumulate", "-");
        Assert.Equal(11, run.ExitCode);
        Assert.Contains("The captured event stream ended before", run.Error);
    }

    [Theory]
    [InlineData("What is 12345679 times 9?", "calculate({\"a\":12345679,\"operation\":\"Multiply\",\"b\":9}) -> 111111111", "The tool returned: 111111111\n")]
    [InlineData("What is 7 plus 5?", "calculate({\"a\":7,\"operation\":\"Add\",\"b\":5}) -> 12", "The tool returned: 12\n")]
    [InlineData("What is 1 divided by 8?", "calculate({\"a\":1,\"operation\":\"Divide\",\"b\":8}) -> 0.125", "The tool returned: 0.125\n")]
    public async Task The_offline_tools_demo_picks_the_tool_the_prompt_asks_for(string prompt, string call, string output)
    {
        CliRun run = await RunAsync(null, null, "chat", "--tools", prompt);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("aotgw: tool " + call, run.Error);
        Assert.Equal(output, run.Output);
    }
}
