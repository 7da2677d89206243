using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway;

/// <summary>
/// Limit state kept in this process: the clients given one store (<see cref="Shared"/>, or one of their own) share it
/// per scope; a client given none keeps one of its own. Rate limits are sliding windows over the reservations of the last second and minute, so no window
/// of that length, wherever it starts, holds more than the limit (what a gateway counting in fixed or sliding windows
/// both accept); daily limits count per UTC day.
/// </summary>
public sealed class InProcessLimitStore : GatewayLimitStore
{
    /// <summary>
    /// How much longer than its length a rate window is held: the spread in the time requests take to reach the
    /// gateway. Without it, requests granted at the end of one window and arriving in the next (a gateway counting in
    /// fixed windows) could pass a limit a sliding window kept. A tenth of a second costs a per-minute limit 0.2%.
    /// </summary>
    public static readonly TimeSpan WindowMargin = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1) + WindowMargin, Minute = TimeSpan.FromMinutes(1) + WindowMargin;
    private const int MaxUnsettled = 65_536;

    private readonly Dictionary<(string Scope, string Model), KeyState> _states = [];
    private long _nextReservation;

    /// <summary>One store for the whole process, for clients that should share without a shared engine.</summary>
    public static InProcessLimitStore Shared { get; } = new();

    /// <inheritdoc/>
    public override ValueTask<LimitDecision> AcquireAsync(LimitRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(request.Tokens);
        lock (_states)
            return new ValueTask<LimitDecision>(Acquire(State(request.Scope, request.Model), request));
    }

    /// <inheritdoc/>
    public override ValueTask SettleAsync(LimitSettlement settlement, CancellationToken cancellationToken = default)
    {
        if (settlement.ActualTokens is < 0)
            throw new ArgumentOutOfRangeException(nameof(settlement), settlement.ActualTokens, "A reply cannot use fewer than zero tokens.");
        lock (_states)
        {
            if (_states.TryGetValue((settlement.Scope, settlement.Model), out KeyState? state))
                state.Settle(settlement.Reservation, settlement.ActualTokens);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override ValueTask ReportAsync(LimitReport report, CancellationToken cancellationToken = default)
    {
        lock (_states)
        {
            KeyState state = State(report.Scope, report.Model);
            if (report.Until > state.BlockedUntil)
            {
                state.BlockedUntil = report.Until;
                state.BlockIsUsage = report.IsUsageLimit;
            }
        }
        return ValueTask.CompletedTask;
    }

    private KeyState State(string scope, string model)
    {
        if (!_states.TryGetValue((scope, model), out KeyState? state))
            _states[(scope, model)] = state = new KeyState();
        return state;
    }

    private LimitDecision Acquire(KeyState state, LimitRequest request)
    {
        DateTimeOffset now = request.Now;
        if (state.BlockedUntil > now)
            return LimitDecision.Deny(state.BlockedUntil, state.BlockIsUsage, fromGateway: true,
                state.BlockIsUsage ? "the gateway's daily usage limit" : "the gateway's rate limit");
        if (request.Limits is not { Any: true } limits)
            return LimitDecision.Grant(null);

        state.Expire(now);
        DateTime day = now.UtcDateTime.Date;
        if (state.Day != day)
            (state.Day, state.DayRequests, state.DayTokens) = (day, 0, 0);
        DateTimeOffset midnight = new(day.AddDays(1), TimeSpan.Zero);
        if (limits.TokensPerDay is { } tpd && request.Tokens > tpd)
            return LimitDecision.Deny(null, isUsageLimit: true, fromGateway: false, Per(tpd, "tokens per day"));
        if (limits.RequestsPerDay is { } rpd && state.DayRequests + 1 > rpd)
            return LimitDecision.Deny(midnight, isUsageLimit: true, fromGateway: false, Per(rpd, "requests per day"));
        if (limits.TokensPerDay is { } tpd2 && state.DayTokens + request.Tokens > tpd2)
            return LimitDecision.Deny(midnight, isUsageLimit: true, fromGateway: false, Per(tpd2, "tokens per day"));

        DateTimeOffset? retryAt = null;
        string? reason = null;
        foreach ((TimeSpan window, int? requests, int? tokens, string unit) in (ReadOnlySpan<(TimeSpan, int?, int?, string)>)
            [(Second, limits.RequestsPerSecond, limits.TokensPerSecond, "second"), (Minute, limits.RequestsPerMinute, limits.TokensPerMinute, "minute")])
        {
            if (tokens is { } tokenLimit && request.Tokens > tokenLimit)
                return LimitDecision.Deny(null, isUsageLimit: false, fromGateway: false, Per(tokenLimit, "tokens per " + unit));
            if (state.FreeAt(now, window, requests, tokens, request.Tokens) is { } at && (retryAt is null || at > retryAt))
                (retryAt, reason) = (at, requests is { } r && state.Count(now, window) + 1 > r ? Per(r, "requests per " + unit) : Per(tokens ?? 0, "tokens per " + unit));
        }
        if (retryAt is not null)
            return LimitDecision.Deny(retryAt, isUsageLimit: false, fromGateway: false, reason!);

        string reservation = "p" + Interlocked.Increment(ref _nextReservation).ToString(CultureInfo.InvariantCulture);
        state.Add(reservation, now, request.Tokens);
        return LimitDecision.Grant(reservation);
    }

    private static string Per(long limit, string what) => $"the limit of {limit.ToString(CultureInfo.InvariantCulture)} {what} set in GatewayLimitOptions.Models";

    /// <summary>One scope and slug: the gateway's last word, the reservations of the last minute, the day's counts.</summary>
    private sealed class KeyState
    {
        private readonly LinkedList<Reservation> _log = new(); // oldest first
        private readonly Dictionary<string, LinkedListNode<Reservation>> _byId = new(StringComparer.Ordinal);

        public DateTimeOffset BlockedUntil;
        public bool BlockIsUsage;
        public DateTime Day;
        public long DayRequests;
        public long DayTokens;

        public void Add(string id, DateTimeOffset at, long tokens)
        {
            _byId[id] = _log.AddLast(new Reservation(id, at, tokens));
            DayRequests++;
            DayTokens += tokens;
        }

        public void Settle(string id, long? actualTokens)
        {
            // The ledger keeps every reservation until it is settled, also once it has left the rate windows (a long
            // stream), so the day's count is corrected whenever the reply ends.
            if (!_byId.Remove(id, out LinkedListNode<Reservation>? node))
                return;
            Reservation reservation = node.Value;
            bool sameDay = reservation.At.UtcDateTime.Date == Day;
            bool inWindow = node.List is not null;
            if (actualTokens is { } actual)
            {
                if (sameDay)
                    DayTokens += actual - reservation.Tokens;
                node.Value = reservation with { Tokens = actual };
                return;
            }
            if (inWindow)
                _log.Remove(node);
            if (sameDay)
            {
                DayRequests--;
                DayTokens -= reservation.Tokens;
            }
        }

        /// <summary>Drops reservations older than the longest window from the windows (the ledger keeps them until settled).</summary>
        public void Expire(DateTimeOffset now)
        {
            while (_log.First is { } first && first.Value.At <= now - Minute)
                _log.RemoveFirst();
            // Reservations nobody settles (a caller that never ended its stream) must not pile up for ever.
            if (_byId.Count > MaxUnsettled)
                _byId.Clear();
        }

        public int Count(DateTimeOffset now, TimeSpan window)
        {
            int count = 0;
            for (LinkedListNode<Reservation>? node = _log.Last; node is not null && node.Value.At > now - window; node = node.Previous)
                count++;
            return count;
        }

        /// <summary>
        /// When one more request of <paramref name="cost"/> tokens fits the window (null: now): the moment enough of
        /// the oldest reservations in it leave.
        /// </summary>
        public DateTimeOffset? FreeAt(DateTimeOffset now, TimeSpan window, int? requestLimit, int? tokenLimit, long cost)
        {
            if (requestLimit is null && tokenLimit is null)
                return null;
            int count = 0;
            long tokens = 0;
            LinkedListNode<Reservation>? oldest = null;
            for (LinkedListNode<Reservation>? node = _log.Last; node is not null && node.Value.At > now - window; node = node.Previous)
            {
                count++;
                tokens += node.Value.Tokens;
                oldest = node;
            }
            if ((requestLimit is null || count + 1 <= requestLimit) && (tokenLimit is null || tokens + cost <= tokenLimit))
                return null;
            // Walk from the oldest in the window until enough has left.
            for (LinkedListNode<Reservation>? node = oldest; node is not null; node = node.Next)
            {
                count--;
                tokens -= node.Value.Tokens;
                if ((requestLimit is null || count + 1 <= requestLimit) && (tokenLimit is null || tokens + cost <= tokenLimit))
                    return node.Value.At + window;
            }
            return now + window;
        }

        private readonly record struct Reservation(string Id, DateTimeOffset At, long Tokens);
    }
}
