using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Extensions.Mcp;
using AotGateway.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using Xunit;

namespace AotGateway.Tests.Mcp;

/// <summary>
/// Both directions over Streamable HTTP on loopback: a generated set served by the SDK's hosting package
/// (<c>WithTools</c> takes <c>AsMcpServerTools()</c>), and consumed through the SDK's <c>HttpClientTransport</c>.
/// </summary>
public sealed class McpHttpTests
{
    [Fact]
    public async Task A_set_served_over_HTTP_by_the_hosting_package_runs_in_the_loop_through_the_HTTP_transport()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddMcpServer().WithHttpTransport().WithTools(McpTestTools.ToolSet.AsMcpServerTools());
        await using WebApplication app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync(deadline.Token);
        try
        {
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
            await using McpClient client = await McpClient.CreateAsync(
                new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(address + "/mcp"), Name = "http" }),
                cancellationToken: deadline.Token);
            GatewayToolSet served = await client.GetGatewayToolSetAsync(new McpToolSetOptions { NamePrefix = "remote_" }, deadline.Token);
            Assert.Equal(["remote_add", "remote_fail", "remote_wait_forever"], served.Definitions.Select(d => d.Name));
            Assert.All(served.Definitions, d => Assert.True(d.Strict));

            using var test = new TestGateway();
            ChatRequest request = TestGateway.Ask("What is 20 plus 22?");
            request.ToolChoice = ChatToolChoice.Function("remote_add");
            ToolLoopResult result = await test.Client.RunToolsAsync(request, GatewayToolSet.Combine(McpTestTools.ToolSet, served), cancellationToken: deadline.Token);

            Assert.Equal(1, result.ToolCalls);
            // The fake gateway fills numbers from the prompt: 20 and 22, added by the server over HTTP.
            Assert.Equal("The tool returned: 42", result.Completion.Content);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }
}
