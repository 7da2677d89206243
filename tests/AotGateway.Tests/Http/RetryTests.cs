using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Http;

[Trait("Category", "Core")]
public class RetryTests
{
    private static KeyValuePair<string, string> Header(string name, string value) => new(name, value);

    private static TestGateway WithPolicy(int maxRetries = 2, double jitter = 0) => new(o => o.Retry = new RetryPolicy
    {
        MaxRetries = maxRetries,
        InitialDelay = TimeSpan.FromMilliseconds(500),
        MaxDelay = TimeSpan.FromSeconds(8),
        Jitter = jitter,
    });

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(409)]
    [InlineData(429)]
    public async Task Retriable_statuses_are_retried_then_succeed(int status)
    {
        using TestGateway test = WithPolicy();
        test.Gateway.Enqueue(FakeReply.Error(status, "try again"));
        ChatCompletion reply = await test.Client.CompleteAsync(TestGateway.Ask("hi"));
        Assert.Equal("You said: hi", reply.Content);
        Assert.Equal(2, test.Gateway.Requests.Count);
    }

    [Fact]
    public async Task Backoff_doubles_from_the_initial_delay_and_retries_stop_at_the_limit()
    {
        using TestGateway test = WithPolicy(maxRetries: 3);
        for (int i = 0; i < 4; i++)
            test.Gateway.Enqueue(FakeReply.Error(500, "down"));
        var error = await Assert.ThrowsAsync<GatewayServerException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.Equal(4, test.Gateway.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], test.Clock.Delays);
        Assert.Contains("4 attempt(s)", error.Message);
    }

    [Fact]
    public void Jitter_only_shortens_a_delay_and_the_cap_holds()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(4), Jitter = 0.5 };
        Assert.Equal(TimeSpan.FromSeconds(1), policy.BackoffFor(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(0.5), policy.BackoffFor(1, 1));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.BackoffFor(10, 0));
    }

    [Fact]
    public async Task Retry_After_in_seconds_is_honoured()
    {
        using TestGateway test = WithPolicy();
        test.Gateway.Enqueue(FakeReply.Error(429, "slow down", "rate_limit_exceeded", null, Header("Retry-After", "3")));
        await test.Client.CompleteAsync(TestGateway.Ask("hi"));
        Assert.Equal([TimeSpan.FromSeconds(3)], test.Clock.Delays);
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_is_honoured()
    {
        using TestGateway test = WithPolicy();
        string date = (test.Clock.GetUtcNow() + TimeSpan.FromSeconds(7)).ToString("r");
        test.Gateway.Enqueue(FakeReply.Error(429, "slow down", null, null, Header("Retry-After", date)));
        await test.Client.CompleteAsync(TestGateway.Ask("hi"));
        Assert.Equal([TimeSpan.FromSeconds(7)], test.Clock.Delays);
    }

    [Fact]
    public async Task Retry_after_ms_wins_over_Retry_After()
    {
        using TestGateway test = WithPolicy();
        test.Gateway.Enqueue(FakeReply.Error(429, "slow down", null, null, Header("retry-after-ms", "250"), Header("Retry-After", "1")));
        await test.Client.CompleteAsync(TestGateway.Ask("hi"));
        Assert.Equal([TimeSpan.FromMilliseconds(250)], test.Clock.Delays);
    }

    [Fact]
    public async Task A_503_with_Retry_After_waits_as_asked()
    {
        using TestGateway test = WithPolicy();
        test.Gateway.Enqueue(FakeReply.Error(503, "overloaded", null, null, Header("Retry-After", "2")));
        await test.Client.CompleteAsync(TestGateway.Ask("hi"));
        Assert.Equal([TimeSpan.FromSeconds(2)], test.Clock.Delays);
    }

    [Fact]
    public async Task A_daily_usage_limit_is_not_retried_and_says_when_it_resets()
    {
        using TestGateway test = WithPolicy();
        test.Gateway.Enqueue(FakeReply.Error(429, "Daily usage limit reached.", "usage_limit_exceeded", "daily_usage_limit_exceeded", Header("Retry-After", "36000")));
        var error = await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.True(error.IsUsageLimit);
        Assert.Single(test.Gateway.Requests);
        Assert.Empty(test.Clock.Delays);
        Assert.Equal(test.Clock.GetUtcNow() + TimeSpan.FromHours(10), error.ResetsAt);
        Assert.Contains("resets at", error.Message);
        Assert.Contains("not retried", error.Message);
    }

    [Theory]
    [InlineData("Token usage limit exceeded", null, null)]
    [InlineData("Limit reached", "insufficient_quota", null)]
    [InlineData("Limit reached", null, "usage_limit_exceeded")]
    public async Task A_usage_limit_is_recognised_from_its_body(string message, string? code, string? type)
    {
        using TestGateway test = WithPolicy();
        test.Gateway.Enqueue(FakeReply.Error(429, message, type, code));
        var error = await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.True(error.IsUsageLimit);
        Assert.Single(test.Gateway.Requests);
    }

    [Fact]
    public async Task A_429_asking_for_longer_than_MaxRetryAfter_is_surfaced_not_waited_out()
    {
        using TestGateway test = WithPolicy();
        test.Gateway.Enqueue(FakeReply.Error(429, "slow down", "rate_limit_exceeded", null, Header("Retry-After", "120")));
        var error = await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.False(error.IsUsageLimit);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(test.Gateway.Requests);
    }

    [Fact]
    public async Task A_storm_of_rate_limits_ends_after_the_bounded_retries()
    {
        using TestGateway test = WithPolicy(maxRetries: 2);
        for (int i = 0; i < 10; i++)
            test.Gateway.Enqueue(FakeReply.Error(429, "slow down", "rate_limit_exceeded", null, Header("Retry-After", "1")));
        var error = await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.Equal(3, test.Gateway.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.Contains("3 attempt(s)", error.Message);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task Client_errors_are_not_retried(int status)
    {
        using TestGateway test = WithPolicy();
        test.Gateway.Enqueue(FakeReply.Error(status, "no"));
        await Assert.ThrowsAnyAsync<GatewayException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.Single(test.Gateway.Requests);
    }

    [Fact]
    public async Task A_connection_reset_before_the_response_is_retried()
    {
        using TestGateway test = WithPolicy();
        test.Gateway.Enqueue(new FakeReply(200, "application/json", []) { Fault = new FakeFault(FakeFaultKind.ResetBeforeHeaders) });
        ChatCompletion reply = await test.Client.CompleteAsync(TestGateway.Ask("hi"));
        Assert.Equal("You said: hi", reply.Content);
        Assert.Equal(2, test.Gateway.Requests.Count);
    }

    [Fact]
    public async Task Connection_failures_that_persist_become_a_connection_error()
    {
        using TestGateway test = WithPolicy(maxRetries: 1);
        for (int i = 0; i < 2; i++)
            test.Gateway.Enqueue(new FakeReply(200, "application/json", []) { Fault = new FakeFault(FakeFaultKind.ResetBeforeHeaders) });
        var error = await Assert.ThrowsAsync<GatewayConnectionException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.Null(error.StatusCode);
        Assert.Contains("gateway.test", error.Message);
    }

    [Fact]
    public async Task Cancellation_during_a_retry_wait_stops_without_another_attempt()
    {
        var clock = new BlockingClock();
        using var test = new TestGateway(o => o.TimeProvider = clock);
        test.Gateway.Enqueue(FakeReply.Error(503, "down"));
        using var cancel = new CancellationTokenSource();
        Task<ChatCompletion> call = test.Client.CompleteAsync(TestGateway.Ask("hi"), cancel.Token);
        await clock.TimerCreated.WaitAsync(TimeSpan.FromSeconds(10));
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(test.Gateway.Requests);
    }

    [Fact]
    public async Task An_already_cancelled_call_sends_nothing()
    {
        using var test = new TestGateway();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi"), new CancellationToken(canceled: true)));
        Assert.Empty(test.Gateway.Requests);
    }

    [Fact]
    public async Task A_stall_before_headers_ends_in_a_timeout_after_the_retries()
    {
        using var test = new TestGateway(o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(200);
            o.Retry = new RetryPolicy { MaxRetries = 1, InitialDelay = TimeSpan.Zero };
            o.TimeProvider = TimeProvider.System;
        });
        for (int i = 0; i < 2; i++)
            test.Gateway.Enqueue(new FakeReply(200, "application/json", []) { Fault = new FakeFault(FakeFaultKind.StallBeforeHeaders) });
        var error = await Assert.ThrowsAsync<GatewayTimeoutException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.Equal(TimeSpan.FromMilliseconds(200), error.Timeout);
        Assert.Equal(2, test.Gateway.Requests.Count);
    }

    /// <summary>Timers never fire; the test sees when one is created.</summary>
    private sealed class BlockingClock : TimeProvider
    {
        private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task TimerCreated => _created.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _created.TrySetResult();
            return System.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
