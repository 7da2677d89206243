using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Extensions.DependencyInjection;
using AotGateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Xunit;

namespace AotGateway.Tests.Http;

/// <summary>
/// Microsoft.Extensions.Http.Resilience's handlers in the named client's pipeline, as README recommends and warns:
/// what they raise reaches the caller as a <see cref="GatewayException"/> with theirs inside, and two retrying layers
/// multiply attempts while the recommended set-up does not.
/// </summary>
public sealed class ResilienceHandlerTests
{
    private static GatewayClient Client(StubHandler server, Action<IHttpClientBuilder> pipeline, Action<GatewayClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        IHttpClientBuilder builder = services.AddAotGateway(o =>
        {
            o.ApiKey = TestGateway.Key;
            o.BaseUrl = new Uri("https://gateway.test/v1");
            o.DefaultModel = "acme/model";
            o.Retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) };
            configure?.Invoke(o);
        });
        builder.ConfigurePrimaryHttpMessageHandler(() => server);
        pipeline(builder);
        return services.BuildServiceProvider().GetRequiredService<GatewayClient>();
    }

    private static StubHandler AlwaysBusy() => new((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
    {
        Content = new StringContent("""{"error":{"message":"busy"}}""", Encoding.UTF8, "application/json"),
    }));

    private static void FastRetries(HttpStandardResilienceOptions o)
    {
        o.Retry.Delay = TimeSpan.FromMilliseconds(1);
        o.Retry.BackoffType = DelayBackoffType.Constant;
        o.Retry.UseJitter = false;
    }

    [Fact]
    public async Task Two_retrying_layers_multiply_the_attempts()
    {
        StubHandler server = AlwaysBusy();
        GatewayClient client = Client(server, b => b.AddStandardResilienceHandler(FastRetries));
        await Assert.ThrowsAsync<GatewayServerException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        // 3 library attempts, each of which the handler tries 4 times: what README's recommendation avoids.
        Assert.Equal(12, server.Requests);
    }

    [Fact]
    public async Task The_recommended_handler_leaves_retries_to_the_library()
    {
        StubHandler server = AlwaysBusy();
        GatewayClient client = Client(server, b => b.AddStandardResilienceHandler(o =>
        {
            FastRetries(o);
            o.Retry.ShouldHandle = static _ => ValueTask.FromResult(false);
        }));
        GatewayServerException error = await Assert.ThrowsAsync<GatewayServerException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        Assert.Equal(3, server.Requests);
        Assert.Equal(503, error.StatusCode);
    }

    [Fact]
    public async Task Or_the_library_leaves_retries_to_the_handler()
    {
        StubHandler server = AlwaysBusy();
        GatewayClient client = Client(server, b => b.AddStandardResilienceHandler(FastRetries), o => o.Retry = RetryPolicy.None);
        await Assert.ThrowsAsync<GatewayServerException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public async Task A_handlers_timeout_is_a_gateway_exception_with_pollys_inside()
    {
        var server = new StubHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        });
        GatewayClient client = Client(server, b => b.AddStandardResilienceHandler(o =>
        {
            FastRetries(o);
            o.Retry.ShouldHandle = static _ => ValueTask.FromResult(false);
            o.AttemptTimeout.Timeout = TimeSpan.FromMilliseconds(100);
        }));
        GatewayException error = await Assert.ThrowsAnyAsync<GatewayException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        Assert.IsType<TimeoutRejectedException>(error.InnerException);
        Assert.Contains("HTTP pipeline", error.Message);
        Assert.Equal(1, server.Requests);

        // The same from a stream, before its first byte.
        error = await Assert.ThrowsAnyAsync<GatewayException>(() => client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync());
        Assert.IsType<TimeoutRejectedException>(error.InnerException);
    }

    [Fact]
    public async Task An_open_circuit_is_a_gateway_exception_with_pollys_inside()
    {
        StubHandler server = AlwaysBusy();
        GatewayClient client = Client(server, b => b.AddResilienceHandler("breaker", pipeline => pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            MinimumThroughput = 2,
            FailureRatio = 0.5,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(30),
        })), o => o.Retry = RetryPolicy.None);
        for (int i = 0; i < 2; i++)
            await Assert.ThrowsAsync<GatewayServerException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        GatewayException error = await Assert.ThrowsAnyAsync<GatewayException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        Assert.IsType<BrokenCircuitException>(error.InnerException);
        Assert.Equal(2, server.Requests);
    }
}
