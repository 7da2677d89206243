using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Http;

/// <summary>A granted attempt: what to settle when it ends, and whether it is the one call let through after a 429.</summary>
internal readonly record struct LimitTicket(string Model, string? Reservation, bool IsProbe);

/// <summary>
/// Every attempt passes here before it is sent: the client's key group and slug are looked up in the limit store,
/// and the attempt goes now, waits (first come, first served within this process, bounded in number and time), or
/// fails with a <see cref="GatewayRateLimitException"/> that says it was not sent and when the limit clears. After a
/// 429 (this process's or another's), once the block clears one call goes first, and the others follow only if it
/// was served: each replica sends at most one attempt into a limit that may not have cleared yet.
/// </summary>
internal sealed class LimitGate
{
    /// <summary>How long callers wait for a probe that never ends (its caller never finished its stream) before going on.</summary>
    private static readonly TimeSpan ProbeLimit = TimeSpan.FromMinutes(1);

    private readonly GatewayLimitOptions _options;
    private readonly GatewayLimitStore _store;
    private readonly string? _apiKey;
    private string? _scope;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    public LimitGate(GatewayLimitOptions options, string? apiKey, TimeProvider time)
    {
        _options = options;
        _store = options.Store ?? new InProcessLimitStore();
        _apiKey = apiKey;
        _time = time;
    }

    /// <summary>The key's scope, made when limit state is first needed (see <see cref="GatewayLimitStore.GrantsAnyScope"/>).</summary>
    private string Scope => _scope ??= _options.Scope ?? ScopeOf(_apiKey);

    /// <summary>Whether anything is enforced: the gateway's word is shared, or limits are set.</summary>
    public bool IsActive => _options.ShareGatewayLimits || _options.Models.Count > 0;

    /// <summary>Whether a 429's wait is the gate's to keep (the retry then waits here, not in the transport).</summary>
    public bool SharesGatewayLimits => _options.ShareGatewayLimits;

    /// <summary>
    /// The name limit state is kept under for a key: a keyed hash, so neither the store nor anyone reading it learns
    /// the key, and every client (or replica) with the key meets the same state.
    /// </summary>
    internal static string ScopeOf(string? apiKey)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData("AotGateway limit scope v1"u8, Encoding.UTF8.GetBytes(apiKey ?? ""), hash);
        return "key-" + Convert.ToHexStringLower(hash[..12]);
    }

    /// <summary>The tokens reserved for a request: its body's size as a prompt estimate plus its output cap per choice.</summary>
    public long Estimate(int bodyBytes, int? maxTokens, int? choices) =>
        bodyBytes / 4 + (long)(maxTokens ?? _options.AssumedMaxTokens) * Math.Max(1, choices ?? 1);

    /// <param name="model">The slug.</param>
    /// <param name="tokens">The tokens to reserve.</param>
    /// <param name="callTimeLeft">What is left of the call's own deadline: no wait goes past it.</param>
    /// <param name="retryWait">For a retry after a 429, the wait the retry rules already accepted (at most RetryPolicy.MaxRetryAfter), which MaxWait must not cut short.</param>
    /// <param name="ct">The caller's cancellation.</param>
    public async ValueTask<LimitTicket> EnterAsync(string model, long tokens, TimeSpan callTimeLeft, TimeSpan retryWait, CancellationToken ct)
    {
        ModelLimits? limits = _options.Models.TryGetValue(model, out ModelLimits? set) ? set : null;
        Lane lane = LaneOf(model);
        LimitDecision decision;
        if (Volatile.Read(ref lane.Waiting) == 0 && lane.Probe is null)
        {
            // Nobody queued: the common case costs one look at the store.
            decision = await AcquireAsync(model, limits, tokens, ct).ConfigureAwait(false);
            if (decision.Granted)
                return new LimitTicket(model, decision.Reservation, IsProbe: false);
            if (decision.RetryAt is null)
                throw NotSent(model, decision, waited: TimeSpan.Zero);
            if (decision.FromGateway)
                lane.Recovering = true;
        }

        if (Interlocked.Increment(ref lane.Waiting) > _options.MaxWaiting)
        {
            Interlocked.Decrement(ref lane.Waiting);
            throw new GatewayRateLimitException(
                $"More than GatewayLimitOptions.MaxWaiting ({_options.MaxWaiting}) calls to '{model}' are waiting for its limits in this process; this one was not sent.",
                GatewayErrorDetails.None(SecretRedactor.None), new RateLimitInfo(null, false, null))
            {
                WasSent = false,
            };
        }
        long started = _time.GetTimestamp();
        TimeSpan patience = Max(_options.MaxWait, retryWait);
        TimeSpan budget = patience < callTimeLeft ? patience : callTimeLeft;
        bool hasTurn = false;
        try
        {
            hasTurn = await TakeTurnAsync(lane, Left(budget, started), ct).ConfigureAwait(false);
            if (!hasTurn)
                throw NotSent(model, LimitDecision.Deny(null, false, false, "the calls queued before it"), _time.GetElapsedTime(started));
            while (true)
            {
                if (lane.Probe is { } probe)
                {
                    // One call went first after a 429: wait for its answer before trying.
                    await WaitForProbeAsync(lane, probe, Left(budget, started), ct).ConfigureAwait(false);
                    continue;
                }
                decision = await AcquireAsync(model, limits, tokens, ct).ConfigureAwait(false);
                if (decision.Granted)
                {
                    bool isProbe = lane.Recovering;
                    if (isProbe)
                        lane.Probe = new Probe(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), _time.GetTimestamp());
                    return new LimitTicket(model, decision.Reservation, isProbe);
                }
                if (decision.FromGateway)
                    lane.Recovering = true;
                TimeSpan wait = decision.RetryAt is { } at ? at - _time.GetUtcNow() : TimeSpan.MaxValue;
                if (decision.RetryAt is null || wait > Left(budget, started))
                    throw NotSent(model, decision, _time.GetElapsedTime(started));
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref lane.Waiting);
            if (hasTurn)
                lane.Turn.Release();
        }
    }

    /// <summary>
    /// An attempt's answer is known: <paramref name="served"/> when the gateway answered 2xx. A probe's answer lets the
    /// calls waiting behind it go on (served) or wait for the new block (refused). Called when a reply starts, so a
    /// stream does not hold the others for its whole length.
    /// </summary>
    public void Answered(LimitTicket ticket, bool served)
    {
        if (!ticket.IsProbe)
            return;
        Lane lane = LaneOf(ticket.Model);
        if (served)
            lane.Recovering = false;
        Probe? probe = lane.Probe;
        lane.Probe = null;
        probe?.Done.TrySetResult();
    }

    /// <summary>
    /// A granted attempt ended: served, its reservation is set to the tokens the reply used (kept as reserved when they
    /// are unknown); refused, it is given back, since refused calls cost nothing. Never throws: a store that fails is
    /// its own to report.
    /// </summary>
    public ValueTask SettleAsync(LimitTicket ticket, bool served, long? usedTokens)
    {
        if (ticket.Reservation is not { } reservation || (served && usedTokens is null))
            return ValueTask.CompletedTask;
        return _store.SettleAsync(new LimitSettlement(Scope, ticket.Model, reservation, served ? usedTokens : null, _time.GetUtcNow()));
    }

    /// <summary>As <see cref="SettleAsync"/> from code that cannot wait (a stream's last event): the store's answer is not awaited.</summary>
    public void SettleInBackground(LimitTicket ticket, bool served, long? usedTokens)
    {
        ValueTask settling = SettleAsync(ticket, served, usedTokens);
        if (!settling.IsCompletedSuccessfully)
            _ = settling.AsTask().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>The gateway refused an attempt with 429: every call of this scope and slug holds until it clears.</summary>
    public ValueTask ReportAsync(string model, RateLimitInfo info)
    {
        if (!_options.ShareGatewayLimits)
            return ValueTask.CompletedTask;
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset until = info.ResetsAt
            ?? (info.IsUsageLimit
                // The gateway's daily usage windows reset at UTC midnight.
                ? new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero)
                : now + (info.RetryAfter ?? TimeSpan.FromSeconds(1)));
        LaneOf(model).Recovering = true;
        return _store.ReportAsync(new LimitReport(Scope, model, until, info.IsUsageLimit, now));
    }

    private ValueTask<LimitDecision> AcquireAsync(string model, ModelLimits? limits, long tokens, CancellationToken ct)
    {
        if (_store.GrantsAnyScope(limits))
            return new ValueTask<LimitDecision>(LimitDecision.Grant(null));
        return _store.AcquireAsync(new LimitRequest(Scope, model, limits, tokens, _time.GetUtcNow()), ct);
    }

    private async Task WaitForProbeAsync(Lane lane, Probe probe, TimeSpan left, CancellationToken ct)
    {
        TimeSpan probeLeft = ProbeLimit - _time.GetElapsedTime(probe.Started);
        if (probeLeft <= TimeSpan.Zero)
        {
            // The probe's caller never came back: stop waiting for it.
            if (ReferenceEquals(lane.Probe, probe))
                lane.Probe = null;
            return;
        }
        TimeSpan wait = probeLeft < left ? probeLeft : left;
        try
        {
            await probe.Done.Task.WaitAsync(wait, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!ct.IsCancellationRequested)
        {
            if (wait == left)
                throw NotSent(lane.Model, LimitDecision.Deny(null, false, true, "the call let through first after the gateway's rate limit"), wait);
        }
    }

    private TimeSpan Left(TimeSpan budget, long started) => Max(TimeSpan.Zero, budget - _time.GetElapsedTime(started));

    /// <summary>Waits for the lane's turn, at most <paramref name="left"/> on the client's clock.</summary>
    private async Task<bool> TakeTurnAsync(Lane lane, TimeSpan left, CancellationToken ct)
    {
        if (lane.Turn.Wait(0, CancellationToken.None))
            return true;
        if (left <= TimeSpan.Zero)
            return false;
        using var timeout = new CancellationTokenSource(left, _time);
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, ct);
        try
        {
            await lane.Turn.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private Lane LaneOf(string model)
    {
        lock (_lanes)
        {
            if (!_lanes.TryGetValue(model, out Lane? lane))
                _lanes[model] = lane = new Lane(model);
            return lane;
        }
    }

    private GatewayRateLimitException NotSent(string model, LimitDecision decision, TimeSpan waited)
    {
        TimeSpan? retryAfter = decision.RetryAt is { } at ? Max(TimeSpan.Zero, at - _time.GetUtcNow()) : null;
        string when = decision.RetryAt is { } clears
            ? $"It clears at {clears.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC, later than GatewayLimitOptions.MaxWait (or the call's time) allows."
            : "It cannot fit: the request alone is larger than the limit.";
        string waitedText = waited > TimeSpan.Zero ? $" after waiting {FailureMap.Seconds(waited)}" : "";
        return new GatewayRateLimitException(
            $"The call to '{model}' was not sent{waitedText}: {decision.Reason ?? "a limit"} holds it. {when}",
            GatewayErrorDetails.None(SecretRedactor.None), new RateLimitInfo(retryAfter, decision.IsUsageLimit, decision.RetryAt))
        {
            WasSent = false,
        };
    }

    /// <summary>One slug's queue in this process (lanes live as long as the client; the semaphore has no handle to free).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim holds a wait handle only when AvailableWaitHandle is read, which nothing here does.")]
    private sealed class Lane(string model)
    {
        public readonly string Model = model;
        public readonly SemaphoreSlim Turn = new(1, 1); // waiters are served in arrival order
        public int Waiting;
        public volatile bool Recovering; // a 429 was seen: the next call granted goes alone, as a probe
        public volatile Probe? Probe;
    }

    private sealed record Probe(TaskCompletionSource Done, long Started);
}
