using System;
using System.Threading.Tasks;
using Xunit;

namespace AotGateway.Tests.Limits;

/// <summary>The in-process store's arithmetic, on an explicit clock: sliding windows, UTC days, settlement, the gateway's word.</summary>
[Trait("Category", "Core")]
public class InProcessLimitStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 23, 58, 0, TimeSpan.Zero);

    private static LimitRequest Ask(ModelLimits? limits, DateTimeOffset now, long tokens = 10) => new("scope", "acme/m", limits, tokens, now);

    [Fact]
    public async Task No_window_of_a_minute_wherever_it_starts_holds_more_requests_than_the_limit()
    {
        var store = new InProcessLimitStore();
        var limits = new ModelLimits { RequestsPerMinute = 3 };
        for (int i = 0; i < 3; i++)
            Assert.True((await store.AcquireAsync(Ask(limits, T0.AddSeconds(10 * i)))).Granted);
        LimitDecision fourth = await store.AcquireAsync(Ask(limits, T0.AddSeconds(30)));
        Assert.False(fourth.Granted);
        // A window is held its length and the margin for the time a request takes to reach the gateway.
        DateTimeOffset Window(double seconds) => T0.AddSeconds(seconds) + InProcessLimitStore.WindowMargin;
        Assert.Equal(Window(60), fourth.RetryAt);
        Assert.False(fourth.IsUsageLimit);
        Assert.False(fourth.FromGateway);
        Assert.False((await store.AcquireAsync(Ask(limits, T0.AddSeconds(60)))).Granted);
        Assert.True((await store.AcquireAsync(Ask(limits, Window(60)))).Granted);
        // The next slot frees when the second request (at 10 s) leaves the window.
        Assert.Equal(Window(70), (await store.AcquireAsync(Ask(limits, T0.AddSeconds(61)))).RetryAt);
    }

    [Fact]
    public async Task Tokens_are_reserved_settled_with_the_real_usage_and_given_back_when_refused()
    {
        var store = new InProcessLimitStore();
        var limits = new ModelLimits { TokensPerMinute = 100 };
        LimitDecision first = await store.AcquireAsync(Ask(limits, T0, tokens: 60));
        Assert.True(first.Granted);
        LimitDecision second = await store.AcquireAsync(Ask(limits, T0.AddSeconds(1), tokens: 50));
        Assert.Equal(T0.AddSeconds(60) + InProcessLimitStore.WindowMargin, second.RetryAt);

        // The first reply used 20 tokens, not the 60 reserved: 50 more fit now.
        await store.SettleAsync(new LimitSettlement("scope", "acme/m", first.Reservation!, 20, T0.AddSeconds(2)));
        LimitDecision third = await store.AcquireAsync(Ask(limits, T0.AddSeconds(2), tokens: 50));
        Assert.True(third.Granted);

        // A refused call costs nothing: its reservation goes back whole.
        await store.SettleAsync(new LimitSettlement("scope", "acme/m", third.Reservation!, null, T0.AddSeconds(3)));
        Assert.True((await store.AcquireAsync(Ask(limits, T0.AddSeconds(3), tokens: 80))).Granted);
    }

    [Fact]
    public async Task A_request_larger_than_a_limit_can_never_fit_and_says_so()
    {
        var store = new InProcessLimitStore();
        LimitDecision decision = await store.AcquireAsync(Ask(new ModelLimits { TokensPerMinute = 100 }, T0, tokens: 101));
        Assert.False(decision.Granted);
        Assert.Null(decision.RetryAt);
        Assert.Contains("100 tokens per minute", decision.Reason);
        Assert.Null((await store.AcquireAsync(Ask(new ModelLimits { TokensPerDay = 100 }, T0, tokens: 101))).RetryAt);
    }

    [Fact]
    public async Task Daily_limits_count_per_UTC_day_and_clear_at_midnight_even_for_a_reply_settled_after_its_window()
    {
        var store = new InProcessLimitStore();
        var limits = new ModelLimits { RequestsPerDay = 2, TokensPerDay = 1_000 };
        LimitDecision first = await store.AcquireAsync(Ask(limits, T0, tokens: 600));
        Assert.True(first.Granted);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero), (await store.AcquireAsync(Ask(limits, T0, tokens: 600))).RetryAt);
        // A long stream settles 90 s later, out of every rate window: the day's count still drops to its usage.
        await store.SettleAsync(new LimitSettlement("scope", "acme/m", first.Reservation!, 100, T0.AddSeconds(90)));
        Assert.True((await store.AcquireAsync(Ask(limits, T0.AddSeconds(90), tokens: 600))).Granted);
        LimitDecision third = await store.AcquireAsync(Ask(limits, T0.AddSeconds(91), tokens: 1));
        Assert.True(third.IsUsageLimit);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero), third.RetryAt);
        Assert.True((await store.AcquireAsync(Ask(limits, new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero), tokens: 1))).Granted);
    }

    [Fact]
    public async Task What_the_gateway_said_holds_every_call_of_the_scope_and_slug_until_it_clears()
    {
        var store = new InProcessLimitStore();
        await store.ReportAsync(new LimitReport("scope", "acme/m", T0.AddSeconds(7), IsUsageLimit: false, T0));
        LimitDecision held = await store.AcquireAsync(Ask(null, T0.AddSeconds(1)));
        Assert.False(held.Granted);
        Assert.True(held.FromGateway);
        Assert.Equal(T0.AddSeconds(7), held.RetryAt);
        // Another slug, another scope: not held.
        Assert.True((await store.AcquireAsync(new LimitRequest("scope", "acme/other", null, 1, T0))).Granted);
        Assert.True((await store.AcquireAsync(new LimitRequest("other", "acme/m", null, 1, T0))).Granted);
        // A shorter word later does not shorten it.
        await store.ReportAsync(new LimitReport("scope", "acme/m", T0.AddSeconds(2), IsUsageLimit: false, T0));
        Assert.Equal(T0.AddSeconds(7), (await store.AcquireAsync(Ask(null, T0.AddSeconds(3)))).RetryAt);
        Assert.True((await store.AcquireAsync(Ask(null, T0.AddSeconds(7)))).Granted);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_clear_error_and_changes_nothing()
    {
        var store = new InProcessLimitStore();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AcquireAsync(Ask(new ModelLimits { RequestsPerMinute = 1 }, T0, tokens: -1)).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SettleAsync(new LimitSettlement("scope", "acme/m", "p1", -5, T0)).AsTask());
        // Settling a reservation the store never made is harmless.
        await store.SettleAsync(new LimitSettlement("scope", "acme/m", "nope", 5, T0));
        Assert.True((await store.AcquireAsync(Ask(new ModelLimits { RequestsPerMinute = 1 }, T0))).Granted);

        foreach (ModelLimits bad in new[] { new ModelLimits { RequestsPerMinute = 0 }, new ModelLimits { TokensPerDay = -1 } })
        {
            var options = new GatewayClientOptions { ApiKey = "k" };
            options.Limits.Models["acme/m"] = bad;
            Assert.ThrowsAny<ArgumentException>(options.Validate);
        }
        var negative = new GatewayClientOptions { ApiKey = "k" };
        negative.Limits.MaxWait = TimeSpan.FromSeconds(-1);
        Assert.ThrowsAny<ArgumentException>(negative.Validate);
    }
}
