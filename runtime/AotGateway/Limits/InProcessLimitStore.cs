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

    private bool _hasReports;

    /// <summary>No limit set and no 429 ever reported here: <see cref="AcquireAsync"/> grants without a reservation.</summary>
    internal override bool GrantsAnyScope(ModelLimits? limits) => limits is not { Any: true } && !Volatile.Read(ref _hasReports);

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
            Volatile.Write(ref _hasReports, true);
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
        foreach ((Window window, int? requests, int? tokens, string unit) in (ReadOnlySpan<(Window, int?, int?, string)>)
            [(state.PerSecond, limits.RequestsPerSecond, limits.TokensPerSecond, "second"), (state.PerMinute, limits.RequestsPerMinute, limits.TokensPerMinute, "minute")])
        {
            if (tokens is { } tokenLimit && request.Tokens > tokenLimit)
                return LimitDecision.Deny(null, isUsageLimit: false, fromGateway: false, Per(tokenLimit, "tokens per " + unit));
            if (window.FreeAt(now, requests, tokens, request.Tokens) is { } at && (retryAt is null || at > retryAt))
                (retryAt, reason) = (at, requests is { } r && window.Count + 1 > r ? Per(r, "requests per " + unit) : Per(tokens ?? 0, "tokens per " + unit));
        }
        if (retryAt is not null)
            return LimitDecision.Deny(retryAt, isUsageLimit: false, fromGateway: false, reason!);

        string reservation = "p" + Interlocked.Increment(ref _nextReservation).ToString(CultureInfo.InvariantCulture);
        state.Add(reservation, now, request.Tokens);
        return LimitDecision.Grant(reservation);
    }

    private static string Per(long limit, string what) => $"the limit of {limit.ToString(CultureInfo.InvariantCulture)} {what} set in GatewayLimitOptions.Models";

    /// <summary>One scope and slug: the gateway's last word, the reservations of the last second and minute, the day's counts.</summary>
    private sealed class KeyState
    {
        // Every reservation until it is settled, also once it has left the windows (a long stream), so the day's count
        // is corrected whenever the reply ends.
        private readonly Dictionary<string, Reservation> _ledger = new(StringComparer.Ordinal);

        public DateTimeOffset BlockedUntil;
        public bool BlockIsUsage;
        public DateTime Day;
        public long DayRequests;
        public long DayTokens;
        public readonly Window PerSecond = new(Second, bit: 1);
        public readonly Window PerMinute = new(Minute, bit: 2);

        public void Add(string id, DateTimeOffset at, long tokens)
        {
            var reservation = new Reservation(id, at, tokens);
            _ledger[id] = reservation;
            PerSecond.Add(reservation);
            PerMinute.Add(reservation);
            DayRequests++;
            DayTokens += tokens;
        }

        public void Settle(string id, long? actualTokens)
        {
            if (!_ledger.Remove(id, out Reservation? reservation))
                return;
            bool sameDay = reservation.At.UtcDateTime.Date == Day;
            long delta = (actualTokens ?? 0) - reservation.Tokens;
            if (sameDay)
            {
                DayTokens += delta;
                if (actualTokens is null)
                    DayRequests--;
            }
            PerSecond.Change(reservation, delta, remove: actualTokens is null);
            PerMinute.Change(reservation, delta, remove: actualTokens is null);
            reservation.Tokens = actualTokens ?? 0;
        }

        public void Expire(DateTimeOffset now)
        {
            PerSecond.Expire(now);
            PerMinute.Expire(now);
            // Reservations nobody settles (a caller that never ended its stream) must not pile up for ever.
            if (_ledger.Count > MaxUnsettled)
                _ledger.Clear();
        }
    }

    /// <summary>
    /// The reservations of one sliding window, oldest first, with their count and tokens kept as they come and go, so
    /// a check costs what expired since the last one, not the whole window.
    /// </summary>
    private sealed class Window(TimeSpan length, int bit)
    {
        private readonly Queue<Reservation> _entries = new();

        public int Count { get; private set; }

        public long Tokens { get; private set; }

        public void Add(Reservation reservation)
        {
            _entries.Enqueue(reservation);
            reservation.Windows |= bit;
            Count++;
            Tokens += reservation.Tokens;
        }

        /// <summary>A reservation changed by <paramref name="delta"/> tokens, or was given back; nothing once it has left the window.</summary>
        public void Change(Reservation reservation, long delta, bool remove)
        {
            if ((reservation.Windows & bit) == 0)
                return;
            Tokens += delta;
            if (remove)
            {
                // It stays queued until it would have expired, but counts for nothing.
                Count--;
                reservation.Windows &= ~bit;
            }
        }

        public void Expire(DateTimeOffset now)
        {
            while (_entries.TryPeek(out Reservation? oldest) && oldest.At <= now - length)
            {
                _entries.Dequeue();
                if ((oldest.Windows & bit) == 0)
                    continue;
                oldest.Windows &= ~bit;
                Count--;
                Tokens -= oldest.Tokens;
            }
        }

        /// <summary>
        /// When one more request of <paramref name="cost"/> tokens fits (null: now): the moment enough of the oldest
        /// reservations leave. Walks the window only when it is full.
        /// </summary>
        public DateTimeOffset? FreeAt(DateTimeOffset now, int? requestLimit, int? tokenLimit, long cost)
        {
            if ((requestLimit is null || Count + 1 <= requestLimit) && (tokenLimit is null || Tokens + cost <= tokenLimit))
                return null;
            int count = Count;
            long tokens = Tokens;
            foreach (Reservation oldest in _entries)
            {
                if ((oldest.Windows & bit) == 0)
                    continue;
                count--;
                tokens -= oldest.Tokens;
                if ((requestLimit is null || count + 1 <= requestLimit) && (tokenLimit is null || tokens + cost <= tokenLimit))
                    return oldest.At + length;
            }
            return now + length;
        }
    }

    /// <summary>A reservation; its tokens change once, when it is settled.</summary>
    private sealed class Reservation(string id, DateTimeOffset at, long tokens)
    {
        public string Id { get; } = id;

        public DateTimeOffset At { get; } = at;

        public long Tokens { get; set; } = tokens;

        /// <summary>The windows (bits) it still counts in.</summary>
        public int Windows { get; set; }
    }
}
