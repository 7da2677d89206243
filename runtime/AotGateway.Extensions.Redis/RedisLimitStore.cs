using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace AotGateway.Extensions.Redis;

/// <summary>
/// Limit state on Redis (or Valkey), shared by every replica whose clients use the same scope: give it to
/// <see cref="GatewayLimitOptions.Store"/>. Each operation is one atomic script on the server's clock; keys carry the
/// scope (a keyed hash of the API key by default, never the key) and expire on their own. When Redis does not answer
/// within <see cref="RedisLimitStoreOptions.FallbackAfter"/>, or answers something it cannot read, the operation is
/// answered by in-process state instead (counted in <see cref="Fallbacks"/> and logged), so no call waits on Redis
/// longer than that; Redis is tried again after <see cref="RedisLimitStoreOptions.RetryRedisAfter"/>, and the
/// replicas share again from then. During an outage each replica keeps the limits on its own.
/// </summary>
public sealed class RedisLimitStore : GatewayLimitStore
{
    private const string LocalPrefix = "local:";

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisLimitStoreOptions _options;
    private readonly InProcessLimitStore _local = new();
    private long _redisBackAt; // the client clock's timestamp after which Redis is tried again; 0 while it answers
    private long _fallbacks;

    /// <summary>Keeps limit state in <paramref name="redis"/>, which the caller owns and disposes.</summary>
    public RedisLimitStore(IConnectionMultiplexer redis, RedisLimitStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _options = options ?? new RedisLimitStoreOptions();
        _options.Validate();
    }

    /// <summary>How many operations the in-process state answered because Redis did not (an outage, a timeout, a wrong answer).</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    /// <summary>Whether operations go to Redis now (false while it is given time to come back after a failure).</summary>
    public bool IsUsingRedis => Volatile.Read(ref _redisBackAt) == 0 || _options.TimeProvider.GetTimestamp() >= Volatile.Read(ref _redisBackAt);

    /// <inheritdoc/>
    public override async ValueTask<LimitDecision> AcquireAsync(LimitRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(request.Tokens);
        if (IsUsingRedis)
        {
            string id = Guid.NewGuid().ToString("N");
            ModelLimits? l = request.Limits;
            RedisResult? result = await RunAsync(RedisLimitScripts.Acquire, request.Scope, request.Model,
                [id, request.Tokens, Arg(l?.RequestsPerSecond), Arg(l?.RequestsPerMinute), Arg(l?.TokensPerSecond), Arg(l?.TokensPerMinute), Arg(l?.RequestsPerDay), Arg(l?.TokensPerDay)],
                cancellationToken).ConfigureAwait(false);
            if (result is not null && TryReadDecision(result, id, request, out LimitDecision decision))
                return decision;
            if (result is not null)
                WrongAnswer("acquire");
        }
        LimitDecision local = await _local.AcquireAsync(request, cancellationToken).ConfigureAwait(false);
        return local.Reservation is { } reservation ? local with { Reservation = LocalPrefix + reservation } : local;
    }

    /// <inheritdoc/>
    public override async ValueTask SettleAsync(LimitSettlement settlement, CancellationToken cancellationToken = default)
    {
        if (settlement.ActualTokens is < 0)
            throw new ArgumentOutOfRangeException(nameof(settlement), settlement.ActualTokens, "A reply cannot use fewer than zero tokens.");
        if (settlement.Reservation.StartsWith(LocalPrefix, StringComparison.Ordinal))
        {
            await _local.SettleAsync(settlement with { Reservation = settlement.Reservation[LocalPrefix.Length..] }, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!IsUsingRedis)
            return; // a reservation Redis holds stays as reserved until it expires: never more than the estimate
        RedisResult? result = await RunAsync(RedisLimitScripts.Settle, settlement.Scope, settlement.Model,
            [settlement.Reservation, settlement.ActualTokens is { } used ? used : RedisValue.EmptyString], cancellationToken).ConfigureAwait(false);
        if (result is not null && result.Resp2Type != ResultType.Integer)
            WrongAnswer("settle");
    }

    /// <inheritdoc/>
    public override async ValueTask ReportAsync(LimitReport report, CancellationToken cancellationToken = default)
    {
        // The process's own state always learns it too, so an outage that starts now does not forget it.
        await _local.ReportAsync(report, cancellationToken).ConfigureAwait(false);
        if (!IsUsingRedis)
            return;
        long waitMs = Math.Max(0, (long)(report.Until - report.Now).TotalMilliseconds);
        // A daily limit that named no reset holds until UTC midnight: the server's, not this machine's.
        bool untilMidnight = report.IsUsageLimit && report.Until.UtcDateTime.TimeOfDay == TimeSpan.Zero;
        RedisResult? result = await RunAsync(RedisLimitScripts.Report, report.Scope, report.Model,
            [waitMs, report.IsUsageLimit ? 1 : 0, untilMidnight ? 1 : 0], cancellationToken).ConfigureAwait(false);
        if (result is not null && result.Resp2Type != ResultType.Integer)
            WrongAnswer("report");
    }

    /// <summary>
    /// Runs a script for one scope and slug, bounded by <see cref="RedisLimitStoreOptions.FallbackAfter"/>; null when
    /// Redis did not answer in time (the outage is then counted, logged, and given time).
    /// </summary>
    private async Task<RedisResult?> RunAsync(string script, string scope, string model, RedisValue[] values, CancellationToken cancellationToken)
    {
        string tag = "{" + scope + "|" + model + "}";
        string prefix = _options.KeyPrefix + ":" + tag + ":";
        RedisKey[] keys = [prefix + "block", prefix + "second", prefix + "minute", prefix + "ledger", prefix + "days", prefix + "sums"];
        try
        {
            Task<RedisResult> run = _redis.GetDatabase().ScriptEvaluateAsync(script, keys, values);
            RedisResult result = await run.WaitAsync(_options.FallbackAfter, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _redisBackAt, 0) != 0 && _options.Logger is { } logger)
                RedisLimitLog.RedisBack(logger);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            Fail(ex is TimeoutException ? $"no answer within {_options.FallbackAfter.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms" : ex.GetType().Name + ": " + ex.Message);
            return null;
        }
    }

    private void WrongAnswer(string operation) => Fail($"an answer to '{operation}' this store cannot read (another program's keys under the prefix '{_options.KeyPrefix}'?)");

    private void Fail(string why)
    {
        Interlocked.Increment(ref _fallbacks);
        long backAt = _options.TimeProvider.GetTimestamp() + (long)(_options.RetryRedisAfter.TotalSeconds * _options.TimeProvider.TimestampFrequency);
        if (Interlocked.Exchange(ref _redisBackAt, backAt) == 0 && _options.Logger is { } logger)
            RedisLimitLog.FellBack(logger, why, _options.RetryRedisAfter.TotalSeconds);
    }

    private static RedisValue Arg(long? limit) => limit is { } value ? value : RedisValue.EmptyString;

    /// <summary>Reads {granted, retry-at ms, usage, from-gateway, reason, now ms}; false for any other shape.</summary>
    private static bool TryReadDecision(RedisResult result, string id, LimitRequest request, out LimitDecision decision)
    {
        decision = default;
        if (result.Resp2Type != ResultType.Array || result.Length != 6)
            return false;
        RedisResult[] parts = (RedisResult[])result!;
        if (!TryLong(parts[0], out long granted) || !TryLong(parts[1], out long retryMs) || !TryLong(parts[2], out long usage)
            || !TryLong(parts[3], out long fromGateway) || !TryLong(parts[5], out long nowMs))
            return false;
        if (granted == 1)
        {
            // No limit set: nothing was reserved.
            decision = LimitDecision.Grant(request.Limits is { } l && HasAny(l) ? id : null);
            return true;
        }
        string reason = parts[4].ToString() ?? "a limit";
        // The server's times become the caller's: the wait is what the server sees, from the caller's now.
        DateTimeOffset? retryAt = retryMs < 0 ? null : request.Now + TimeSpan.FromMilliseconds(Math.Max(0, retryMs - nowMs));
        string said = fromGateway == 1
            ? usage == 1 ? "the gateway's daily usage limit" : "the gateway's rate limit"
            : $"the limit of {LimitOf(request.Limits, reason)} {reason} set in GatewayLimitOptions.Models";
        decision = LimitDecision.Deny(retryAt, usage == 1, fromGateway == 1, said);
        return true;
    }

    private static bool HasAny(ModelLimits l) => l.RequestsPerSecond is not null || l.RequestsPerMinute is not null || l.TokensPerSecond is not null
        || l.TokensPerMinute is not null || l.RequestsPerDay is not null || l.TokensPerDay is not null;

    private static string LimitOf(ModelLimits? l, string reason) => (reason switch
    {
        "requests per second" => l?.RequestsPerSecond,
        "requests per minute" => l?.RequestsPerMinute,
        "tokens per second" => l?.TokensPerSecond,
        "tokens per minute" => l?.TokensPerMinute,
        "requests per day" => l?.RequestsPerDay,
        "tokens per day" => (long?)l?.TokensPerDay,
        _ => null,
    })?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static bool TryLong(RedisResult part, out long value)
    {
        value = 0;
        if (part.Resp2Type != ResultType.Integer)
            return false;
        value = (long)part;
        return true;
    }
}
