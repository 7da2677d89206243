using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using AotGateway.Http;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Http;

/// <summary>
/// Every wait the client makes is bounded: whatever a retried status asks for with whatever header and value,
/// the client sleeps at most <see cref="RetryPolicy.MaxRetryAfter"/>, never throws anything untyped, and a
/// <see cref="GatewayClientOptions.CallTimeout"/> bounds the whole call over real sockets.
/// </summary>
[Trait("Category", "Core")]
public sealed class BoundedWaitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static TheoryData<int, string, string> LongOrAbsurdWaits()
    {
        var data = new TheoryData<int, string, string>();
        string[][] waits =
        [
            ["Retry-After", "3600"],
            ["Retry-After", "100000000"],
            ["Retry-After", "900000000000"],
            ["Retry-After", "1e308"],
            ["Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"],
            ["retry-after-ms", "9e14"],
            ["retry-after-ms", "1e400"],
            ["retry-after-ms", "3600000"],
        ];
        foreach (int status in new[] { 408, 409, 429, 500, 502, 503 })
        {
            foreach (string[] wait in waits)
                data.Add(status, wait[0], wait[1]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LongOrAbsurdWaits))]
    public async Task A_wait_past_MaxRetryAfter_is_raised_at_once_as_a_typed_error(int status, string header, string value)
    {
        using var test = new TestGateway(o => o.Retry = new RetryPolicy { MaxRetries = 2, MaxRetryAfter = TimeSpan.FromSeconds(60) });
        test.Gateway.Enqueue(FakeReply.Error(status, "busy", null, null, new KeyValuePair<string, string>(header, value)));
        GatewayException error = await Assert.ThrowsAnyAsync<GatewayException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")).WaitAsync(Deadline));
        Assert.Equal(status, error.StatusCode);
        Assert.Single(test.Gateway.Requests);
        Assert.Empty(test.Clock.Delays);
        if (error is GatewayRateLimitException rateLimit)
        {
            Assert.True(rateLimit.RetryAfter <= RetryRules.LongestServerWait);
            Assert.NotNull(rateLimit.ResetsAt);
        }
        else
        {
            Assert.Contains("MaxRetryAfter", error.Message);
        }
    }

    [Theory]
    [InlineData(408)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task A_wait_within_MaxRetryAfter_is_slept_for_every_retried_status(int status)
    {
        using var test = new TestGateway(o => o.Retry = new RetryPolicy { MaxRetries = 2, MaxRetryAfter = TimeSpan.FromSeconds(60) });
        test.Gateway.Enqueue(FakeReply.Error(status, "busy", null, null, new KeyValuePair<string, string>("Retry-After", "59")));
        await test.Client.CompleteAsync(TestGateway.Ask("hi")).WaitAsync(Deadline);
        Assert.Equal([TimeSpan.FromSeconds(59)], test.Clock.Delays);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("NaN")]
    [InlineData("soon")]
    [InlineData("")]
    public async Task An_unreadable_wait_falls_back_to_the_backoff(string value)
    {
        using var test = new TestGateway(o => o.Retry = new RetryPolicy { MaxRetries = 1, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 });
        test.Gateway.Enqueue(FakeReply.Error(503, "busy", null, null, new KeyValuePair<string, string>("Retry-After", value)));
        await test.Client.CompleteAsync(TestGateway.Ask("hi")).WaitAsync(Deadline);
        Assert.Equal([TimeSpan.FromSeconds(1)], test.Clock.Delays);
    }

    [Fact]
    public void Policy_delays_past_a_day_are_refused_when_the_client_is_made()
    {
        foreach (RetryPolicy policy in new[]
        {
            new RetryPolicy { MaxRetryAfter = TimeSpan.FromDays(2) },
            new RetryPolicy { MaxDelay = TimeSpan.MaxValue },
            new RetryPolicy { InitialDelay = TimeSpan.FromDays(50) },
        })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new GatewayClient(new GatewayClientOptions { ApiKey = "k", Retry = policy }));
        }
        // A huge backoff multiplier stays at the cap instead of overflowing.
        var steep = new RetryPolicy { InitialDelay = TimeSpan.FromDays(1), MaxDelay = TimeSpan.FromDays(1), MaxRetries = 20 };
        Assert.Equal(TimeSpan.FromDays(1), steep.BackoffFor(20, 0));
    }

    [Fact]
    public async Task A_CallTimeout_bounds_every_attempt_and_wait_of_a_slow_loris_server()
    {
        // Headers dripped one byte a second: each attempt alone would take RequestTimeout (3 s), three of them 9 s plus waits.
        await using RawHttpServer server = RawHttpServer.Start(async exchange =>
        {
            foreach (char c in "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            {
                await exchange.WriteAsync(c.ToString());
                await Task.Delay(1000, exchange.Stopping);
            }
        });
        using var client = new GatewayClient(new GatewayClientOptions
        {
            BaseUrl = server.BaseUrl,
            ApiKey = "k",
            DefaultModel = "acme/model",
            RequestTimeout = TimeSpan.FromSeconds(3),
            CallTimeout = TimeSpan.FromSeconds(4),
            Retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(200), Jitter = 0 },
        });
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<GatewayTimeoutException>(() => client.CompleteAsync(TestGateway.Ask("hi")).WaitAsync(Deadline));
        clock.Stop();
        Assert.Contains("CallTimeout", error.Message);
        Assert.Equal(TimeSpan.FromSeconds(4), error.Timeout);
        Assert.InRange(server.Requests, 1, 2);
        // Bounded by the deadline plus the time to notice it, far below the 9+ s of three whole attempts.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(7), $"took {clock.Elapsed}");

        // The same bound holds for a stream that never starts.
        clock.Restart();
        await Assert.ThrowsAsync<GatewayTimeoutException>(() => client.StreamAsync(TestGateway.Ask("hi")).ToCompletionAsync().WaitAsync(Deadline));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(7), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_retry_that_could_not_finish_before_the_CallTimeout_is_not_started()
    {
        using var test = new TestGateway(o =>
        {
            o.CallTimeout = TimeSpan.FromSeconds(5);
            o.Retry = new RetryPolicy { MaxRetries = 3, MaxRetryAfter = TimeSpan.FromSeconds(60) };
        });
        test.Gateway.Enqueue(FakeReply.Error(503, "busy", null, null, new KeyValuePair<string, string>("Retry-After", "30")));
        var error = await Assert.ThrowsAsync<GatewayServerException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")).WaitAsync(Deadline));
        Assert.Contains("CallTimeout", error.Message);
        Assert.Single(test.Gateway.Requests);
        Assert.Empty(test.Clock.Delays);
    }

    [Fact]
    public void A_CallTimeout_that_is_not_positive_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GatewayClient(new GatewayClientOptions { ApiKey = "k", CallTimeout = TimeSpan.Zero }));
    }
}
