namespace AotGateway.Extensions.Redis;

/// <summary>
/// The Lua scripts behind <see cref="RedisLimitStore"/>: each operation is one script, so it is atomic on the server,
/// and every time is the server's (<c>TIME</c>), so replicas with skewed clocks agree. The arithmetic is
/// <see cref="InProcessLimitStore"/>'s: two sliding windows (a second and a minute, each held
/// <see cref="InProcessLimitStore.WindowMargin"/> longer), each a sorted set of <c>id:tokens</c> scored by time with its
/// count and tokens kept in a hash as reservations come and go (so a check costs what expired since the last one);
/// counts per UTC day; a ledger of unsettled reservations (a reply settled after its windows still corrects its day);
/// and the gateway's last word. Keys: <c>KEYS[1]</c> the block, <c>[2]</c> the second's window, <c>[3]</c> the
/// minute's, <c>[4]</c> the ledger, <c>[5]</c> the day counts, <c>[6]</c> the windows' sums; all of one scope and
/// slug share a hash tag, so they live in one slot of a cluster.
/// </summary>
internal static class RedisLimitScripts
{
    // Shared by the scripts: the server's now in ms, and the windows' bookkeeping.
    private const string Windows = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local function tokensOf(member) return tonumber(string.match(member, ':(%d+)$')) end
        local function expire(key, ms, field)
          local old = redis.call('ZRANGEBYSCORE', key, '-inf', now - ms)
          if #old == 0 then return end
          local tokens = 0
          for i = 1, #old do tokens = tokens + tokensOf(old[i]) end
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now - ms)
          redis.call('HINCRBY', KEYS[6], field .. 'n', -#old)
          redis.call('HINCRBY', KEYS[6], field .. 't', -tokens)
        end
        expire(KEYS[2], 1100, 's')
        expire(KEYS[3], 60100, 'm')
        """;

    /// <summary>
    /// ARGV: id, tokens, then the limits (empty when not set): requests per second, per minute, tokens per second, per
    /// minute, requests per day, tokens per day. Returns {granted, retry-at ms (-1: never), usage, from-gateway, reason, now ms}.
    /// </summary>
    public const string Acquire = Windows + """
        local blocked = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
        if blocked > now then
          return {0, blocked, tonumber(redis.call('HGET', KEYS[1], 'usage') or '0'), 1, 'gateway', now}
        end
        local function arg(i) if ARGV[i] == '' then return nil end return tonumber(ARGV[i]) end
        local tokens = tonumber(ARGV[2])
        local rps, rpm, tps, tpm, rpd, tpd = arg(3), arg(4), arg(5), arg(6), arg(7), arg(8)
        if not (rps or rpm or tps or tpm or rpd or tpd) then return {1, 0, 0, 0, '', now} end
        local day = math.floor(now / 86400000)
        local midnight = (day + 1) * 86400000
        if tpd and tokens > tpd then return {0, -1, 1, 0, 'tokens per day', now} end
        if rpd and tonumber(redis.call('HGET', KEYS[5], 'r:' .. day) or '0') + 1 > rpd then return {0, midnight, 1, 0, 'requests per day', now} end
        if tpd and tonumber(redis.call('HGET', KEYS[5], 't:' .. day) or '0') + tokens > tpd then return {0, midnight, 1, 0, 'tokens per day', now} end
        local retry, reason = nil, ''
        for _, w in ipairs({{KEYS[2], 1100, 's', rps, tps, 'second'}, {KEYS[3], 60100, 'm', rpm, tpm, 'minute'}}) do
          local key, ms, field, rl, tl, unit = w[1], w[2], w[3], w[4], w[5], w[6]
          if tl and tokens > tl then return {0, -1, 0, 0, 'tokens per ' .. unit, now} end
          local count = tonumber(redis.call('HGET', KEYS[6], field .. 'n') or '0')
          local sum = tonumber(redis.call('HGET', KEYS[6], field .. 't') or '0')
          local overRequests = rl and count + 1 > rl
          if overRequests or (tl and sum + tokens > tl) then
            -- Full: walk from the oldest until enough has left.
            local at = now + ms
            local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
            for i = 1, #entries, 2 do
              count = count - 1
              sum = sum - tokensOf(entries[i])
              if (not rl or count + 1 <= rl) and (not tl or sum + tokens <= tl) then at = tonumber(entries[i + 1]) + ms break end
            end
            if not retry or at > retry then
              retry = at
              if overRequests then reason = 'requests per ' .. unit else reason = 'tokens per ' .. unit end
            end
          end
        end
        if retry then return {0, retry, 0, 0, reason, now} end
        local member = ARGV[1] .. ':' .. tokens
        redis.call('ZADD', KEYS[2], now, member)
        redis.call('ZADD', KEYS[3], now, member)
        redis.call('PEXPIRE', KEYS[2], 61100)
        redis.call('PEXPIRE', KEYS[3], 61100)
        redis.call('HINCRBY', KEYS[6], 'sn', 1)
        redis.call('HINCRBY', KEYS[6], 'st', tokens)
        redis.call('HINCRBY', KEYS[6], 'mn', 1)
        redis.call('HINCRBY', KEYS[6], 'mt', tokens)
        redis.call('PEXPIRE', KEYS[6], 61100)
        redis.call('HINCRBY', KEYS[5], 'r:' .. day, 1)
        redis.call('HINCRBY', KEYS[5], 't:' .. day, tokens)
        redis.call('HDEL', KEYS[5], 'r:' .. (day - 2), 't:' .. (day - 2))
        redis.call('PEXPIRE', KEYS[5], 3 * 86400000)
        redis.call('HSET', KEYS[4], ARGV[1], day .. ':' .. now .. ':' .. tokens)
        redis.call('PEXPIRE', KEYS[4], 2 * 86400000)
        return {1, 0, 0, 0, '', now}
        """;

    /// <summary>ARGV: id, the tokens used (empty: give the reservation back). Returns 1, or 0 when the ledger no longer knows it.</summary>
    public const string Settle = Windows + """
        local entry = redis.call('HGET', KEYS[4], ARGV[1])
        if not entry then return 0 end
        redis.call('HDEL', KEYS[4], ARGV[1])
        local day, at, tokens = string.match(entry, '^(%d+):(%d+):(%d+)$')
        if not day then return 0 end
        tokens = tonumber(tokens)
        local member = ARGV[1] .. ':' .. tokens
        local giveBack = ARGV[2] == ''
        local used = 0
        if not giveBack then used = tonumber(ARGV[2]) end
        if giveBack then
          redis.call('HINCRBY', KEYS[5], 'r:' .. day, -1)
        end
        redis.call('HINCRBY', KEYS[5], 't:' .. day, used - tokens)
        for _, w in ipairs({{KEYS[2], 's'}, {KEYS[3], 'm'}}) do
          if redis.call('ZREM', w[1], member) == 1 then
            redis.call('HINCRBY', KEYS[6], w[2] .. 't', used - tokens)
            if giveBack then
              redis.call('HINCRBY', KEYS[6], w[2] .. 'n', -1)
            else
              redis.call('ZADD', w[1], at, ARGV[1] .. ':' .. used)
            end
          end
        end
        return 1
        """;

    /// <summary>ARGV: the wait in ms, 1 for a usage limit, 1 to hold until the server's next UTC midnight. Returns the block's end in ms.</summary>
    public const string Report = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local untilMs = now + tonumber(ARGV[1])
        if ARGV[3] == '1' then untilMs = (math.floor(now / 86400000) + 1) * 86400000 end
        if untilMs > tonumber(redis.call('HGET', KEYS[1], 'until') or '0') then
          redis.call('HSET', KEYS[1], 'until', untilMs, 'usage', ARGV[2])
          redis.call('PEXPIREAT', KEYS[1], untilMs)
        end
        return untilMs
        """;
}
