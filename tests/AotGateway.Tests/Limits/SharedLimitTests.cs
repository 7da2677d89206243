using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Limits;

/// <summary>
/// Clients of one key group share what the gateway said and keep the limits the lab set, against the fake counting
/// as the gateway does (one clock for both, which advances only by the waits it is asked for).
/// </summary>
[Trait("Category", "Core")]
public class SharedLimitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private const string Slug = FakeGateway.DefaultModel;

    private static int SentTo(FakeGateway gateway, string slug) =>
        gateway.Requests.Count(r => System.Text.Encoding.UTF8.GetString(r.Body.Span).Contains($"\"model\":\"{slug}\"", StringComparison.Ordinal));

    [Fact]
    public async Task After_a_daily_usage_429_no_call_of_any_client_sharing_the_store_is_sent_before_the_reset()
    {
        var clock = new TestClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock).SetLimits(Slug, new FakeLimits { RequestsPerDay = 2 });
        var store = new InProcessLimitStore();
        using var first = new TestGateway(o => o.Limits.Store = store, gateway, clock);
        using var second = new TestGateway(o => o.Limits.Store = store, gateway, clock);
        await first.Client.CompleteAsync(TestGateway.Ask("a"));
        await second.Client.CompleteAsync(TestGateway.Ask("b"));
        var refused = await Assert.ThrowsAsync<GatewayRateLimitException>(() => first.Client.CompleteAsync(TestGateway.Ask("c")));
        Assert.True(refused.IsUsageLimit);
        Assert.True(refused.WasSent);
        Assert.Equal(3, SentTo(gateway, Slug));

        for (int i = 0; i < 5; i++)
        {
            var held = await Assert.ThrowsAsync<GatewayRateLimitException>(() => second.Client.CompleteAsync(TestGateway.Ask("d")));
            Assert.False(held.WasSent);
            Assert.True(held.IsUsageLimit);
            Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), held.ResetsAt);
            Assert.Contains("not sent", held.Message);
        }
        Assert.Equal(3, SentTo(gateway, Slug));
    }

    [Fact]
    public async Task Limits_set_for_a_slug_are_kept_before_sending_so_the_gateway_refuses_none()
    {
        var clock = new TestClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock).SetLimits(Slug, new FakeLimits { RequestsPerWindow = 3, Window = TimeSpan.FromMinutes(1) });
        using var test = new TestGateway(o => o.Limits.Models[Slug] = new ModelLimits { RequestsPerMinute = 3 }, gateway, clock);
        for (int i = 0; i < 10; i++)
            await test.Client.CompleteAsync(TestGateway.Ask("q" + i)).WaitAsync(Deadline);
        Assert.Equal(10, gateway.Requests.Count);
        // The client waited for the window instead of meeting 429s: three waits of up to a minute.
        Assert.True(clock.Delays.Count(d => d > TimeSpan.FromSeconds(1)) >= 3, string.Join(", ", clock.Delays));
        Assert.All(clock.Delays, d => Assert.True(d <= TimeSpan.FromMinutes(1) + InProcessLimitStore.WindowMargin));
    }

    [Fact]
    public async Task A_call_that_would_wait_longer_than_MaxWait_fails_at_once_and_is_not_sent()
    {
        var clock = new TestClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock);
        using var test = new TestGateway(o =>
        {
            o.Limits.Models[Slug] = new ModelLimits { RequestsPerMinute = 1 };
            o.Limits.MaxWait = TimeSpan.FromSeconds(10);
        }, gateway, clock);
        await test.Client.CompleteAsync(TestGateway.Ask("one"));
        var held = await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(TestGateway.Ask("two")));
        Assert.False(held.WasSent);
        Assert.False(held.IsUsageLimit);
        Assert.Equal(TimeSpan.FromMinutes(1) + InProcessLimitStore.WindowMargin, held.RetryAfter);
        Assert.Contains("1 requests per minute", held.Message);
        Assert.Single(gateway.Requests);
    }

    [Fact]
    public async Task A_request_too_large_for_a_token_limit_fails_at_once()
    {
        var clock = new TestClock();
        using var test = new TestGateway(o => o.Limits.Models[Slug] = new ModelLimits { TokensPerMinute = 500 }, clock: clock);
        ChatRequest request = TestGateway.Ask("x");
        request.MaxTokens = 1_000;
        var held = await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(request));
        Assert.False(held.WasSent);
        Assert.Null(held.RetryAfter);
        Assert.Contains("larger than the limit", held.Message);
        Assert.Empty(test.Gateway.Requests);
    }

    [Fact]
    public async Task When_more_calls_wait_than_MaxWaiting_the_rest_fail_at_once()
    {
        var clock = new BlockedClock();
        FakeGateway gateway = FakeGateway.CreateDefault();
        using var test = new TestGateway(o =>
        {
            o.TimeProvider = clock;
            o.Limits.Models[Slug] = new ModelLimits { RequestsPerMinute = 1 };
            o.Limits.MaxWaiting = 2;
        }, gateway);
        await test.Client.CompleteAsync(TestGateway.Ask("one")); // one timer: its attempt's deadline
        // Two wait (their clock never moves): one for the window, one in line behind it. The third is refused at once.
        Task<ChatCompletion>[] waiting = [test.Client.CompleteAsync(TestGateway.Ask("two")), test.Client.CompleteAsync(TestGateway.Ask("three"))];
        await clock.TimersCreated(3).WaitAsync(Deadline);
        var refused = await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(TestGateway.Ask("four")));
        Assert.Contains("MaxWaiting", refused.Message);
        Assert.False(refused.WasSent);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        Assert.Single(gateway.Requests);
    }

    [Fact]
    public async Task A_cascading_parent_pool_running_out_holds_the_childs_calls_instead_of_a_retry_loop()
    {
        // Real time, one-second windows: eight concurrent calls on a clock that jumps for each wait would not be one story.
        FakeGateway gateway = new FakeGateway().AddModel(Slug)
            .AddGroup("lab", enforcement: FakeEnforcement.Cascading)
            .AddGroup("team-a", parent: "lab")
            .AddGroup("team-b", parent: "lab")
            .AddGroupKey("team-a", "key-a", Slug)
            .AddGroupKey("team-b", "key-b", Slug)
            .SetLimits(Slug, new FakeLimits { RequestsPerWindow = 3, Window = TimeSpan.FromSeconds(1) }, "lab")
            .SetLimits(Slug, new FakeLimits { RequestsPerWindow = 100, Window = TimeSpan.FromSeconds(1) }, "team-a");
        using var neighbour = new TestGateway(o => { o.ApiKey = "key-b"; o.TimeProvider = TimeProvider.System; }, gateway);
        for (int i = 0; i < 3; i++)
            await neighbour.Client.CompleteAsync(TestGateway.Ask("b" + i));

        // Team A has headroom under its own 100, but the lab's pool is spent: the first call meets the 429, and the rest
        // wait for the pool rather than each retrying into it.
        using var child = new TestGateway(o =>
        {
            o.ApiKey = "key-a";
            o.TimeProvider = TimeProvider.System;
            o.Retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.Zero };
        }, gateway);
        Task<ChatCompletion>[] calls = [.. Enumerable.Range(0, 8).Select(i => child.Client.CompleteAsync(TestGateway.Ask("a" + i)))];
        ChatCompletion[] replies = await Task.WhenAll(calls).WaitAsync(Deadline);
        Assert.Equal(8, replies.Length);
        int refused = gateway.RequestCount - 3 - 8;
        // Each window the lab's pool lets three through; a refusal is a probe into a window that had not cleared.
        Assert.True(refused <= 4, $"{refused} requests were refused: the child's calls went on meeting the parent's limit");
    }

    /// <summary>A clock whose timers never fire; the test sees how many with a due time were made.</summary>
    private sealed class BlockedClock : TimeProvider
    {
        private int _timers;
        private readonly List<(int Count, TaskCompletionSource Done)> _waits = [];

        public Task TimersCreated(int count)
        {
            lock (_waits)
            {
                if (_timers >= count)
                    return Task.CompletedTask;
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waits.Add((count, done));
                return done.Task;
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                lock (_waits)
                {
                    _timers++;
                    foreach ((int count, TaskCompletionSource done) in _waits)
                    {
                        if (_timers >= count)
                            done.TrySetResult();
                    }
                }
            }
            return TimeProvider.System.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }
}
