using System;
using System.Net.Http;
using Xunit;

namespace AotGateway.Tests.Http;

/// <summary>The handler the client makes when given none, which the DI package and apps with their own HttpClient reuse.</summary>
[Trait("Category", "Core")]
public sealed class DefaultHandlerTests
{
    [Fact]
    public void The_default_handler_never_redirects_closes_abandoned_replies_and_spreads_HTTP2_streams()
    {
        using SocketsHttpHandler handler = GatewayClient.CreateHttpHandler();

        Assert.False(handler.AllowAutoRedirect);
        Assert.Equal(0, handler.MaxResponseDrainSize);
        Assert.True(handler.EnableMultipleHttp2Connections);
        Assert.Equal(TimeSpan.FromSeconds(30), handler.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), handler.PooledConnectionLifetime);
    }
}
