using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Http;

/// <summary>
/// A server that answers, but not with HTTP the client can read, gets a protocol error (CLI exit 12) at once:
/// not "could not reach the gateway", and not retried, since it would answer the same way again.
/// </summary>
[Trait("Category", "Core")]
public sealed class MalformedHttpTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Malformations() => new()
    {
        "invalid status line",
        "status code out of range",
        "10 MB of headers",
        "a 1 MB header line",
        "endless interim responses",
        "a header without a colon",
    };

    private static async Task Respond(string malformation, RawExchange exchange)
    {
        switch (malformation)
        {
            case "invalid status line":
                await exchange.WriteAsync("HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n");
                break;
            case "status code out of range":
                await exchange.WriteAsync("HTTP/1.1 1234 Odd\r\nContent-Length: 0\r\n\r\n");
                break;
            case "10 MB of headers":
                await exchange.WriteAsync("HTTP/1.1 200 OK\r\n");
                string line = "X-Filler: " + new string('x', 1000) + "\r\n";
                var block = new StringBuilder();
                for (int i = 0; i < 100; i++)
                    block.Append(line);
                for (int i = 0; i < 100; i++) // 100 blocks of 100 KB; the client stops reading long before
                    await exchange.WriteAsync(block.ToString());
                break;
            case "a 1 MB header line":
                await exchange.WriteAsync("HTTP/1.1 200 OK\r\nX-Long: " + new string('y', 1024 * 1024) + "\r\nContent-Length: 0\r\n\r\n");
                break;
            case "endless interim responses":
                for (int i = 0; i < 200_000; i++) // bounded: ~5 MB, far past what the client accepts
                    await exchange.WriteAsync("HTTP/1.1 102 Processing\r\nX-Step: " + i + "\r\n\r\n");
                break;
            case "a header without a colon":
                await exchange.WriteAsync("HTTP/1.1 200 OK\r\nThis is not a header\r\nContent-Length: 0\r\n\r\n");
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Malformations))]
    public async Task A_malformed_response_is_a_protocol_error_and_not_retried(string malformation)
    {
        await using RawHttpServer server = RawHttpServer.Start(exchange => Respond(malformation, exchange));
        using var client = new GatewayClient(new GatewayClientOptions
        {
            BaseUrl = server.BaseUrl,
            ApiKey = "k",
            DefaultModel = "acme/model",
            RequestTimeout = TimeSpan.FromSeconds(20),
            Retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(10) },
        });
        var error = await Assert.ThrowsAsync<GatewayProtocolException>(() => client.CompleteAsync(TestGateway.Ask("hi")).WaitAsync(Deadline));
        Assert.Contains("malformed HTTP response", error.Message);
        Assert.Equal(1, server.Requests);

        await Assert.ThrowsAsync<GatewayProtocolException>(() => client.StreamAsync(TestGateway.Ask("hi")).ToCompletionAsync().WaitAsync(Deadline));
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task The_CLI_reports_a_malformed_response_with_exit_code_12()
    {
        await using RawHttpServer server = RawHttpServer.Start("HTTP/1.1 OK\r\n\r\n");
        CliRun run = await CliRunner.RunAsync(new Dictionary<string, string>
        {
            [GatewayClient.ApiKeyVariable] = "k",
            [GatewayClient.BaseUrlVariable] = server.BaseUrl.ToString(),
            [GatewayClient.ModelVariable] = "acme/model",
        }, null, "chat", "hello");
        Assert.True(run.ExitCode == 12, run.Error);
        Assert.Contains("malformed HTTP response", run.Error);
    }
}
