using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace AotGateway.Tests.Http;

/// <summary>
/// HTTP/2 by default, and still every server: over TLS the version is agreed by ALPN, so a server that speaks only
/// HTTP/1.1 is answered in HTTP/1.1; plain http (every loopback test) stays HTTP/1.1.
/// </summary>
[Trait("Category", "Core")]
public sealed class HttpVersionTests
{
    [Theory]
    [InlineData(HttpProtocols.Http1AndHttp2, "HTTP/2")]
    [InlineData(HttpProtocols.Http1, "HTTP/1.1")]
    public async Task Over_TLS_the_client_speaks_HTTP2_where_the_server_does_and_HTTP11_where_it_only_does_that(HttpProtocols protocols, string expected)
    {
        using X509Certificate2 certificate = LoopbackCertificate.Create();
        var seen = new ConcurrentQueue<string>();
        await using WebApplication app = await StartAsync(protocols, certificate, seen);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        string hash = LoopbackCertificate.Hash(certificate);
        using var client = new GatewayClient(new GatewayClientOptions
        {
            BaseUrl = new Uri(address + "/v1"),
            ApiKey = "sk-test",
            DefaultModel = "acme/model",
            // Trust only this test's certificate; the version settings under test are the client's defaults.
            Handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && LoopbackCertificate.Hash(c) == hash,
                },
            },
        });

        ChatCompletion reply = await client.CompleteAsync(TestGateway.Ask("hi")).WaitAsync(TimeSpan.FromSeconds(30));
        string streamed = "";
        await foreach (ChatUpdate update in client.StreamAsync(TestGateway.Ask("hi")).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
            streamed += update.Content;

        Assert.Equal("pong", reply.Content);
        Assert.Equal("pong", streamed);
        Assert.Equal([expected, expected], seen.ToArray());
    }

    [Fact]
    public void The_defaults_ask_for_HTTP2_and_take_what_the_server_speaks()
    {
        var options = new GatewayClientOptions();
        Assert.Equal(HttpVersion.Version20, options.HttpVersion);
        Assert.Equal(HttpVersionPolicy.RequestVersionOrLower, options.HttpVersionPolicy);
    }

    private static async Task<WebApplication> StartAsync(HttpProtocols protocols, X509Certificate2 certificate, ConcurrentQueue<string> seen)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            listen.UseHttps(certificate);
        }));
        WebApplication app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            seen.Enqueue(context.Request.Protocol);
            using var body = new System.IO.MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            bool stream = System.Text.Encoding.UTF8.GetString(body.ToArray()).Contains("\"stream\":true", StringComparison.Ordinal);
            const string Chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"acme/model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"pong\"},\"finish_reason\":\"stop\"}]}";
            if (stream)
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("data: " + Chunk + "\n\ndata: [DONE]\n\n");
            }
            else
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"acme/model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"pong\"},\"finish_reason\":\"stop\"}]}");
            }
        });
        await app.StartAsync();
        return app;
    }
}
