using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using AotGateway.Extensions.DependencyInjection;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace AotGateway.Tests.Http;

/// <summary>
/// README's proxy set-ups over loopback: the loopback fake stands in for a forward proxy (it serves requests in
/// absolute form) while the client names <c>gateway.invalid</c>, a name that never resolves (RFC 6761), so a
/// reply can only have come through the proxy; nothing leaves the machine.
/// </summary>
public sealed class ProxyTests
{
    private static readonly Uri s_unreachable = new("http://gateway.invalid/v1");

    [Fact]
    public async Task An_explicit_proxy_on_the_clients_own_handler_carries_the_calls()
    {
        await using LoopbackGatewayServer proxy = LoopbackGatewayServer.Start(FakeGateway.CreateDefault());
        SocketsHttpHandler handler = GatewayClient.CreateHttpHandler();
        handler.Proxy = new WebProxy(new Uri($"http://127.0.0.1:{proxy.Port}"));
        using var client = new GatewayClient(new GatewayClientOptions
        {
            BaseUrl = s_unreachable,
            AllowInsecureHttp = true,
            ApiKey = FakeGateway.DefaultKey,
            DefaultModel = FakeGateway.DefaultModel,
            Handler = handler,
            Retry = RetryPolicy.None,
        });
        ChatCompletion reply = await client.CompleteAsync(TestGateway.Ask("through the proxy")).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("You said: through the proxy", reply.Content);
        ChatCompletion streamed = await client.StreamAsync(TestGateway.Ask("streamed")).ToCompletionAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("You said: streamed", streamed.Content);
        handler.Dispose();
    }

    [Fact]
    public async Task A_proxy_on_the_named_clients_primary_handler_carries_the_calls()
    {
        await using LoopbackGatewayServer proxy = LoopbackGatewayServer.Start(FakeGateway.CreateDefault());
        var services = new ServiceCollection();
        services.AddAotGateway(o =>
            {
                o.BaseUrl = s_unreachable;
                o.AllowInsecureHttp = true;
                o.ApiKey = FakeGateway.DefaultKey;
                o.DefaultModel = FakeGateway.DefaultModel;
                o.Retry = RetryPolicy.None;
            })
            .ConfigurePrimaryHttpMessageHandler(() =>
            {
                SocketsHttpHandler handler = GatewayClient.CreateHttpHandler();
                handler.Proxy = new WebProxy(new Uri($"http://127.0.0.1:{proxy.Port}"));
                return handler;
            });
        using ServiceProvider provider = services.BuildServiceProvider();
        ChatCompletion reply = await provider.GetRequiredService<GatewayClient>().CompleteAsync(TestGateway.Ask("via DI")).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("You said: via DI", reply.Content);
    }

    [Fact]
    public void The_default_handler_uses_the_environments_proxy()
    {
        // UseProxy with no Proxy of its own means HttpClient.DefaultProxy: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY.
        using SocketsHttpHandler handler = GatewayClient.CreateHttpHandler();
        Assert.True(handler.UseProxy);
        Assert.Null(handler.Proxy);
    }
}
