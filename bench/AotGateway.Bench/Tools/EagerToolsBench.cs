using System.Diagnostics;
using System.Globalization;
using System.Text;
using AotGateway.Testing;

namespace AotGateway.Bench.Tools;

/// <summary>
/// A round of three tool calls over loopback: the fake drips the reply over 2 s (the first call's arguments are
/// whole at 0.5 s, the second's at 1.0 s, the third's at 1.5 s, the finish at 2.0 s), each tool takes 1 s. The round
/// is timed with calls started as their arguments complete and with every call waiting for the reply's end (as
/// before), with calls one at a time and four at a time. Medians of interleaved runs.
/// </summary>
internal static class EagerToolsBench
{
    private const string Head = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake/echo-1\",\"choices\":[{\"index\":0,\"delta\":";
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ToolTime = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(int rounds)
    {
        Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version}; three calls over a 2 s reply, 1 s per tool, loopback fake; medians of {rounds} interleaved runs");
        Console.WriteLine();
        Console.WriteLine("| Calls at once | Calls wait for the reply's end (s) | Calls start as their arguments complete (s) | Sooner by (s) |");
        Console.WriteLine("| ---: | ---: | ---: | ---: |");
        foreach (int concurrent in (int[])[1, 4])
        {
            var late = new List<double>();
            var early = new List<double>();
            for (int i = 0; i < rounds; i++)
            {
                late.Add(await TimeRoundAsync(concurrent, startEarly: false).ConfigureAwait(false));
                early.Add(await TimeRoundAsync(concurrent, startEarly: true).ConfigureAwait(false));
            }
            double l = Median(late), e = Median(early);
            Console.WriteLine(FormattableString.Invariant($"| {concurrent} | {l:0.00} | {e:0.00} | {l - e:0.00} |"));
        }
        return 0;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static async Task<double> TimeRoundAsync(int concurrent, bool startEarly)
    {
        FakeGateway gateway = FakeGateway.CreateDefault();
        gateway.Enqueue(DrippedCalls());
        await using LoopbackGatewayServer server = LoopbackGatewayServer.Start(gateway);
        using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = server.BaseUrl, ApiKey = FakeGateway.DefaultKey, DefaultModel = FakeGateway.DefaultModel });
        var request = new ChatRequest([ChatMessage.User("three slow tools")]);
        var options = new ToolLoopOptions { MaxConcurrentCalls = concurrent, StartCallsEarly = startEarly };
        var clock = Stopwatch.StartNew();
        await foreach (ChatUpdate _ in client.StreamToolsAsync(request, new SlowTools(), options).ConfigureAwait(false))
        {
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static FakeReply DrippedCalls()
    {
        string[] parts =
        [
            Start(0) + Args(0) + Start(1),
            Args(1) + Start(2),
            Args(2),
            Head + "{},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n",
        ];
        var bytes = new List<ReadOnlyMemory<byte>>();
        foreach (string part in parts)
            bytes.Add(Encoding.UTF8.GetBytes(part));
        return new FakeReply(200, "text/event-stream", bytes) { Fault = new FakeFault(FakeFaultKind.None, Delay: Pace) };
    }

    private static string Start(int index) =>
        Head + "{\"tool_calls\":[{\"index\":" + index.ToString(CultureInfo.InvariantCulture) + ",\"id\":\"call_" + index.ToString(CultureInfo.InvariantCulture) +
        "\",\"type\":\"function\",\"function\":{\"name\":\"slow\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n";

    private static string Args(int index) =>
        Head + "{\"tool_calls\":[{\"index\":" + index.ToString(CultureInfo.InvariantCulture) + ",\"function\":{\"arguments\":\"{\\\"n\\\":" +
        index.ToString(CultureInfo.InvariantCulture) + "}\"}}]},\"finish_reason\":null}]}\n\n";

    /// <summary>One tool, <c>slow</c>, that takes a second.</summary>
    private sealed class SlowTools() : GatewayToolSet(ChatTool.Function("slow", "Takes a second.", """{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"],"additionalProperties":false}"""))
    {
        protected override bool TryInvoke(string name, string arguments, CancellationToken cancellationToken, out ValueTask<string> result)
        {
            result = WaitAsync(cancellationToken);
            return name == "slow";
        }

        private static async ValueTask<string> WaitAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(ToolTime, cancellationToken).ConfigureAwait(false);
            return "done";
        }
    }
}
