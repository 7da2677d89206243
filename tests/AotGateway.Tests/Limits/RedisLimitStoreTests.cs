using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using AotGateway.Extensions.Redis;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using StackExchange.Redis;
using Xunit;

namespace AotGateway.Tests.Limits;

/// <summary>
/// The limit state on a real redis-server the test starts: replicas (clients with their own store and connection)
/// share it, keys hold no key and expire, and an outage costs no call.
/// </summary>
public class RedisLimitStoreTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private const string Slug = FakeGateway.DefaultModel;

    private static async Task<(ConnectionMultiplexer Redis, RedisLimitStore Store)> ReplicaAsync(RedisServer server, RedisLimitStoreOptions? options = null)
    {
        ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        return (redis, new RedisLimitStore(redis, options));
    }

    private static LimitRequest Ask(ModelLimits? limits, long tokens = 10, string scope = "scope") => new(scope, Slug, limits, tokens, DateTimeOffset.UtcNow);

    [RedisFact]
    public async Task A_window_limit_holds_across_replicas_on_the_servers_clock()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        (ConnectionMultiplexer a, RedisLimitStore storeA) = await ReplicaAsync(server);
        (ConnectionMultiplexer b, RedisLimitStore storeB) = await ReplicaAsync(server);
        using (a)
        using (b)
        {
            var limits = new ModelLimits { RequestsPerMinute = 3, TokensPerMinute = 100 };
            Assert.True((await storeA.AcquireAsync(Ask(limits))).Granted);
            Assert.True((await storeB.AcquireAsync(Ask(limits))).Granted);
            LimitDecision third = await storeA.AcquireAsync(Ask(limits, tokens: 81));
            Assert.False(third.Granted); // 10 + 10 + 81 > 100
            Assert.Contains("100 tokens per minute", third.Reason);
            TimeSpan wait = third.RetryAt!.Value - DateTimeOffset.UtcNow;
            Assert.InRange(wait, TimeSpan.FromSeconds(55), TimeSpan.FromSeconds(61));
            LimitDecision fits = await storeB.AcquireAsync(Ask(limits, tokens: 5));
            Assert.True(fits.Granted);
            LimitDecision fourth = await storeA.AcquireAsync(Ask(limits, tokens: 1));
            Assert.False(fourth.Granted);
            Assert.Contains("3 requests per minute", fourth.Reason);

            // Settled with the real usage, and given back when refused: room again.
            await storeB.SettleAsync(new LimitSettlement("scope", Slug, fits.Reservation!, null, DateTimeOffset.UtcNow));
            Assert.True((await storeA.AcquireAsync(Ask(limits, tokens: 1))).Granted);
            Assert.Equal(0, storeA.Fallbacks + storeB.Fallbacks);
        }
    }

    [RedisFact]
    public async Task Settled_usage_frees_tokens_and_daily_counts_follow_it()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        (ConnectionMultiplexer redis, RedisLimitStore store) = await ReplicaAsync(server);
        using (redis)
        {
            var limits = new ModelLimits { TokensPerDay = 1_000 };
            LimitDecision big = await store.AcquireAsync(Ask(limits, tokens: 900));
            Assert.True(big.Granted);
            LimitDecision refused = await store.AcquireAsync(Ask(limits, tokens: 200));
            Assert.True(refused.IsUsageLimit);
            // The server's UTC midnight, in this machine's time: within a clock skew of a midnight.
            DateTime next = DateTime.UtcNow.Date.AddDays(1);
            Assert.InRange(refused.RetryAt!.Value.UtcDateTime, next.AddSeconds(-2), next.AddSeconds(2));
            await store.SettleAsync(new LimitSettlement("scope", Slug, big.Reservation!, 100, DateTimeOffset.UtcNow));
            Assert.True((await store.AcquireAsync(Ask(limits, tokens: 800))).Granted);
            Assert.Null((await store.AcquireAsync(Ask(limits, tokens: 1_001))).RetryAt);
        }
    }

    [RedisFact]
    public async Task Keys_never_hold_the_key_and_all_expire()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        (ConnectionMultiplexer redis, RedisLimitStore store) = await ReplicaAsync(server);
        using (redis)
        {
            const string ApiKey = "sk-live-abcdef0123456789";
            var clock = new TestClock();
            FakeGateway gateway = new FakeGateway(clock).AddModel(Slug).AddKey(ApiKey, Slug).SetLimits(Slug, new FakeLimits { RequestsPerDay = 1 });
            using var test = new TestGateway(o =>
            {
                o.ApiKey = ApiKey;
                o.Limits.Store = store;
                o.Limits.Models[Slug] = new ModelLimits { RequestsPerMinute = 100 };
            }, gateway, clock);
            await test.Client.CompleteAsync(TestGateway.Ask("one"));
            await Assert.ThrowsAsync<GatewayRateLimitException>(() => test.Client.CompleteAsync(TestGateway.Ask("two")));

            IServer admin = redis.GetServer(redis.GetEndPoints()[0]);
            RedisKey[] keys = admin.Keys(pattern: "*").ToArray();
            Assert.NotEmpty(keys);
            foreach (RedisKey key in keys)
            {
                Assert.DoesNotContain(ApiKey[..8], key.ToString());
                Assert.StartsWith("aotgw:{key-", key.ToString());
                Assert.NotNull(await redis.GetDatabase().KeyTimeToLiveAsync(key));
                foreach (HashEntry field in await redis.GetDatabase().KeyTypeAsync(key) == RedisType.Hash ? await redis.GetDatabase().HashGetAllAsync(key) : [])
                    Assert.DoesNotContain(ApiKey[..8], field.Name.ToString() + field.Value);
            }
        }
    }

    [RedisFact]
    public async Task After_a_daily_429_no_replica_sends_to_the_slug_again_before_the_reset()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        var clock = new TestClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock).SetLimits(Slug, new FakeLimits { RequestsPerDay = 3 });
        var replicas = new List<(ConnectionMultiplexer Redis, TestGateway Test)>();
        for (int i = 0; i < 4; i++)
        {
            (ConnectionMultiplexer redis, RedisLimitStore store) = await ReplicaAsync(server);
            replicas.Add((redis, new TestGateway(o => o.Limits.Store = store, gateway, clock)));
        }
        try
        {
            int served = 0, held = 0, refusedByGateway = 0;
            for (int round = 0; round < 3; round++)
            {
                foreach ((_, TestGateway test) in replicas)
                {
                    try
                    {
                        await test.Client.CompleteAsync(TestGateway.Ask("q"));
                        served++;
                    }
                    catch (GatewayRateLimitException ex) when (ex.IsUsageLimit)
                    {
                        if (ex.WasSent)
                            refusedByGateway++;
                        else
                            held++;
                    }
                }
            }
            Assert.Equal(3, served);
            Assert.Equal(1, refusedByGateway); // one 429 for the whole fleet
            Assert.Equal(8, held);
            Assert.Equal(4, gateway.RequestCount);
        }
        finally
        {
            foreach ((ConnectionMultiplexer redis, TestGateway test) in replicas)
            {
                test.Dispose();
                redis.Dispose();
            }
        }
    }

    [RedisFact]
    public async Task Limits_set_once_keep_a_fleet_of_replicas_from_any_429()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        FakeGateway gateway = FakeGateway.CreateDefault().SetLimits(Slug, new FakeLimits { RequestsPerWindow = 4, Window = TimeSpan.FromSeconds(1) });
        var replicas = new List<(ConnectionMultiplexer Redis, TestGateway Test)>();
        for (int i = 0; i < 4; i++)
        {
            (ConnectionMultiplexer redis, RedisLimitStore store) = await ReplicaAsync(server);
            replicas.Add((redis, new TestGateway(o =>
            {
                o.TimeProvider = TimeProvider.System;
                o.Retry = RetryPolicy.None;
                o.Limits.Store = store;
                o.Limits.Models[Slug] = new ModelLimits { RequestsPerSecond = 4 };
            }, gateway)));
        }
        try
        {
            Task<ChatCompletion>[] calls = [.. replicas.SelectMany(r => Enumerable.Range(0, 4).Select(i => r.Test.Client.CompleteAsync(TestGateway.Ask("q" + i))))];
            await Task.WhenAll(calls).WaitAsync(Deadline);
            Assert.Equal(16, gateway.RequestCount); // every call served, none refused
        }
        finally
        {
            foreach ((ConnectionMultiplexer redis, TestGateway test) in replicas)
            {
                test.Dispose();
                redis.Dispose();
            }
        }
    }

    [RedisFact]
    public async Task Redis_killed_mid_run_costs_no_call_and_sharing_resumes_when_it_is_back()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        var options = new RedisLimitStoreOptions { FallbackAfter = TimeSpan.FromMilliseconds(200), RetryRedisAfter = TimeSpan.FromMilliseconds(300) };
        (ConnectionMultiplexer a, RedisLimitStore storeA) = await ReplicaAsync(server, options);
        (ConnectionMultiplexer b, RedisLimitStore storeB) = await ReplicaAsync(server, options);
        using (a)
        using (b)
        {
            FakeGateway gateway = FakeGateway.CreateDefault();
            using var replicaA = new TestGateway(o => { o.TimeProvider = TimeProvider.System; o.Limits.Store = storeA; }, gateway);
            await replicaA.Client.CompleteAsync(TestGateway.Ask("before"));

            await server.KillAsync();
            var slowest = TimeSpan.Zero;
            for (int i = 0; i < 5; i++)
            {
                var clock = Stopwatch.StartNew();
                await replicaA.Client.CompleteAsync(TestGateway.Ask("during " + i)).WaitAsync(Deadline);
                slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            }
            Assert.True(storeA.Fallbacks >= 1);
            // Each call waits for Redis at most FallbackAfter per operation (acquire, settle), then goes on.
            Assert.True(slowest < TimeSpan.FromSeconds(2), $"a call took {slowest.TotalMilliseconds:0} ms while Redis was down");

            await server.StartAgainAsync();
            // Replica A goes back to Redis on its own once it answers: an operation that no longer falls back.
            bool back = false;
            for (int i = 0; i < 50 && !back; i++)
            {
                await Task.Delay(100);
                long before = storeA.Fallbacks;
                await storeA.AcquireAsync(Ask(null));
                back = storeA.Fallbacks == before && storeA.IsUsingRedis;
            }
            Assert.True(back, "replica A never went back to Redis");
            await storeA.ReportAsync(new LimitReport("scope", Slug, DateTimeOffset.UtcNow.AddSeconds(30), IsUsageLimit: false, DateTimeOffset.UtcNow));
            LimitDecision seen = default;
            for (int i = 0; i < 50 && !seen.FromGateway; i++)
            {
                seen = await storeB.AcquireAsync(Ask(null));
                if (!seen.FromGateway)
                    await Task.Delay(100);
            }
            Assert.True(seen.FromGateway, "replica B does not see what replica A reported once Redis was back");
        }
    }

    [RedisFact]
    public async Task An_answer_of_the_wrong_shape_and_evicted_keys_fall_back_or_start_over_and_lose_nothing()
    {
        await using RedisServer server = await RedisServer.StartAsync();
        (ConnectionMultiplexer redis, RedisLimitStore store) = await ReplicaAsync(server, new RedisLimitStoreOptions { RetryRedisAfter = TimeSpan.Zero });
        using (redis)
        {
            var limits = new ModelLimits { RequestsPerMinute = 10 };
            LimitDecision granted = await store.AcquireAsync(Ask(limits));
            Assert.True(granted.Granted);
            // Another program's value where the store keeps a hash: Redis answers WRONGTYPE; the process's state answers.
            await redis.GetDatabase().StringSetAsync($"aotgw:{{scope|{Slug}}}:block", "not a hash");
            LimitDecision fallback = await store.AcquireAsync(Ask(limits));
            Assert.True(fallback.Granted);
            Assert.StartsWith("local:", fallback.Reservation);
            Assert.Equal(1, store.Fallbacks);
            await store.SettleAsync(new LimitSettlement("scope", Slug, fallback.Reservation!, 3, DateTimeOffset.UtcNow));

            // Everything evicted: settling what Redis forgot is harmless, and counting starts over.
            await redis.GetDatabase().ExecuteAsync("FLUSHALL");
            await store.SettleAsync(new LimitSettlement("scope", Slug, granted.Reservation!, 3, DateTimeOffset.UtcNow));
            LimitDecision fresh = await store.AcquireAsync(Ask(limits));
            Assert.True(fresh.Granted);
            Assert.DoesNotContain("local:", fresh.Reservation);
        }
    }

    [Fact]
    public void Bad_settings_are_refused_with_clear_errors()
    {
        using ConnectionMultiplexer redis = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=100");
        Assert.Throws<ArgumentException>(() => new RedisLimitStore(redis, new RedisLimitStoreOptions { KeyPrefix = "a{b}" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisLimitStore(redis, new RedisLimitStoreOptions { FallbackAfter = TimeSpan.Zero }));
        var store = new RedisLimitStore(redis);
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.AcquireAsync(Ask(null, tokens: -1)).AsTask()).GetAwaiter().GetResult();
    }
}
