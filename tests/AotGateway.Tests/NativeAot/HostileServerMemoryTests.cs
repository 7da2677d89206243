using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AotGateway.Tests.NativeAot;

/// <summary>
/// The NativeAOT aotgw, with default options, against servers that try to make it hold too much: its peak
/// resident memory stays under 256 MB and each ends in its typed exit code. Figures are printed for README's
/// Guarantees table.
/// </summary>
[Collection(NativeAotPublishes.Name)]
[Trait("Category", "NativeAot")]
public sealed class HostileServerMemoryTests(PublishedAotgw aotgw, ITestOutputHelper output)
{
    private const long PeakLimitKiB = 256 * 1024;
    private const string StreamHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";

    public static TheoryData<string> Scenarios() => new()
    {
        "300 MB of streamed text",
        "1,000,000 tool-call indexes",
        "1,000,000 choice indexes",
        "60 MB reply",
        "200 MB reply",
    };

    private static async Task Serve(string scenario, RawExchange x)
    {
        switch (scenario)
        {
            case "300 MB of streamed text":
            {
                string chunk = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + new string('x', 4096) + "\"}}]}\n\n";
                byte[] block = Encoding.UTF8.GetBytes(string.Concat(System.Linq.Enumerable.Repeat(chunk, 16)));
                await x.WriteAsync(StreamHead);
                for (long sent = 0; sent < 300L * 1024 * 1024; sent += block.Length)
                    await x.WriteAsync(block);
                break;
            }
            case "1,000,000 tool-call indexes":
            case "1,000,000 choice indexes":
            {
                bool tools = scenario.Contains("tool", StringComparison.Ordinal);
                await x.WriteAsync(StreamHead);
                var batch = new StringBuilder();
                for (int i = 0; i < 1_000_000; i++)
                {
                    batch.Append(tools
                        ? "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + i + ",\"id\":\"c" + i + "\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}\n\n"
                        : "data: {\"choices\":[{\"index\":" + i + ",\"delta\":{\"content\":\"a\"}}]}\n\n");
                    if (batch.Length > 64 * 1024)
                    {
                        await x.WriteAsync(batch.ToString());
                        batch.Clear();
                    }
                }
                await x.WriteAsync(batch + "data: [DONE]\n\n");
                break;
            }
            case "60 MB reply":
            case "200 MB reply":
            {
                int length = (scenario.StartsWith("60", StringComparison.Ordinal) ? 60 : 200) * 1024 * 1024;
                string prefix = "{\"id\":\"r\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
                string suffix = "\"},\"finish_reason\":\"stop\"}]}";
                int text = length - prefix.Length - suffix.Length;
                await x.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{prefix}");
                byte[] block = Encoding.ASCII.GetBytes(new string('z', 1024 * 1024));
                int sent = 0;
                while (sent < text)
                {
                    int n = Math.Min(block.Length, text - sent);
                    await x.Stream.WriteAsync(block.AsMemory(0, n), x.Stopping);
                    sent += n;
                }
                await x.WriteAsync(suffix);
                break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Peak_memory_stays_under_256_MB_and_the_outcome_is_typed(string scenario)
    {
        string binary = await aotgw.BinaryAsync();
        await using RawHttpServer server = RawHttpServer.Start(x => Serve(scenario, x));
        bool streamed = !scenario.EndsWith("reply", StringComparison.Ordinal);
        (Processes.Result run, long peakKiB) = await Processes.RunMeasuredAsync(binary, streamed ? "chat hello" : "chat --no-stream hello",
            TimeSpan.FromMinutes(2), null,
            ("BASETEN_API_KEY", "k"), ("BASETEN_BASE_URL", server.BaseUrl.ToString()), ("BASETEN_MODEL", "acme/model"));
        output.WriteLine($"{scenario}: exit {run.ExitCode}, peak RSS {peakKiB:N0} KiB; stderr: {run.Error.Trim()}");

        Assert.True(peakKiB > 0, "the peak resident set could not be read from /proc");
        Assert.True(peakKiB < PeakLimitKiB, $"{scenario}: peak RSS {peakKiB:N0} KiB");
        int expected = scenario switch
        {
            "60 MB reply" => 0,
            "200 MB reply" => 12, // larger than MaxResponseBytes: not understood
            _ => 11, // stream failed: a bound was exceeded
        };
        Assert.True(run.ExitCode == expected, $"{scenario}: exit {run.ExitCode}: {run.Error}");
        if (expected == 0)
            Assert.InRange(run.Output.Length, 60 * 1024 * 1024 - 300, 60 * 1024 * 1024);
        else
            Assert.Contains(expected == 12 ? "MaxResponseBytes" : "abandoned rather than", run.Error);
    }
}
