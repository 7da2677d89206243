namespace AotGateway.Extensions.Redis;

/// <summary>
/// The Lua scripts behind <see cref="RedisLimitStore"/>: each operation is one script, so it is atomic on the server,
/// and every time is the server's (<c>TIME</c>), so replicas with skewed clocks agree. The arithmetic is
/// <see cref="InProcessLimitStore"/>'s: sliding windows over the reservations of the last second and minute, each held
/// <see cref="InProcessLimitStore.WindowMargin"/> (0.1 s) longer (a sorted
/// set scored by time, each member <c>id:tokens</c>), counts per UTC day (a hash with a field per day number), a ledger
/// of unsettled reservations (so a reply settled after its window still corrects its day), and the gateway's last word.
/// Keys: <c>KEYS[1]</c> the block, <c>[2]</c> the window log, <c>[3]</c> the ledger, <c>[4]</c> the day counts; all
/// of one scope and slug share a hash tag, so they live in one slot of a cluster.
/// </summary>
internal static class RedisLimitScripts
{
    /// <summary>
    /// ARGV: id, tokens, then the limits (empty when not set): requests per second, per minute, tokens per second, per
    /// minute, requests per day, tokens per day. Returns {granted, retry-at ms (-1: never), usage, from-gateway, reason, now ms}.
    /// </summary>
    public const string Acquire = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
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
        if rpd and tonumber(redis.call('HGET', KEYS[4], 'r:' .. day) or '0') + 1 > rpd then return {0, midnight, 1, 0, 'requests per day', now} end
        if tpd and tonumber(redis.call('HGET', KEYS[4], 't:' .. day) or '0') + tokens > tpd then return {0, midnight, 1, 0, 'tokens per day', now} end
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 60100)
        local retry, reason = nil, ''
        for _, w in ipairs({{1100, rps, tps, 'second'}, {60100, rpm, tpm, 'minute'}}) do
          local ms, rl, tl, unit = w[1], w[2], w[3], w[4]
          if tl and tokens > tl then return {0, -1, 0, 0, 'tokens per ' .. unit, now} end
          if rl or tl then
            local entries = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. (now - ms), '+inf', 'WITHSCORES')
            local count, sum = #entries / 2, 0
            for i = 1, #entries, 2 do sum = sum + tonumber(string.match(entries[i], ':(%d+)$')) end
            local overRequests = rl and count + 1 > rl
            if overRequests or (tl and sum + tokens > tl) then
              local at = now + ms
              for i = 1, #entries, 2 do
                count = count - 1
                sum = sum - tonumber(string.match(entries[i], ':(%d+)$'))
                if (not rl or count + 1 <= rl) and (not tl or sum + tokens <= tl) then at = tonumber(entries[i + 1]) + ms break end
              end
              if not retry or at > retry then
                retry = at
                if overRequests then reason = 'requests per ' .. unit else reason = 'tokens per ' .. unit end
              end
            end
          end
        end
        if retry then return {0, retry, 0, 0, reason, now} end
        redis.call('ZADD', KEYS[2], now, ARGV[1] .. ':' .. tokens)
        redis.call('PEXPIRE', KEYS[2], 61100)
        redis.call('HINCRBY', KEYS[4], 'r:' .. day, 1)
        redis.call('HINCRBY', KEYS[4], 't:' .. day, tokens)
        redis.call('HDEL', KEYS[4], 'r:' .. (day - 2), 't:' .. (day - 2))
        redis.call('PEXPIRE', KEYS[4], 3 * 86400000)
        redis.call('HSET', KEYS[3], ARGV[1], day .. ':' .. now .. ':' .. tokens)
        redis.call('PEXPIRE', KEYS[3], 2 * 86400000)
        return {1, 0, 0, 0, '', now}
        """;

    /// <summary>ARGV: id, the tokens used (empty: give the reservation back). Returns 1, or 0 when the ledger no longer knows it.</summary>
    public const string Settle = """
        local entry = redis.call('HGET', KEYS[3], ARGV[1])
        if not entry then return 0 end
        redis.call('HDEL', KEYS[3], ARGV[1])
        local day, at, tokens = string.match(entry, '^(%d+):(%d+):(%d+)$')
        if not day then return 0 end
        tokens = tonumber(tokens)
        local member = ARGV[1] .. ':' .. tokens
        local inWindow = redis.call('ZSCORE', KEYS[2], member)
        if ARGV[2] ~= '' then
          local used = tonumber(ARGV[2])
          redis.call('HINCRBY', KEYS[4], 't:' .. day, used - tokens)
          if inWindow then
            redis.call('ZREM', KEYS[2], member)
            redis.call('ZADD', KEYS[2], at, ARGV[1] .. ':' .. used)
          end
        else
          redis.call('HINCRBY', KEYS[4], 'r:' .. day, -1)
          redis.call('HINCRBY', KEYS[4], 't:' .. day, -tokens)
          if inWindow then redis.call('ZREM', KEYS[2], member) end
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
