using System;
using System.Collections.Generic;

namespace AotGateway;

/// <summary>
/// How a client shares what it knows of the gateway's limits with every other call using the same key group: what
/// the gateway said (a rate limit until some moment, a daily allowance spent until UTC midnight) and, optionally,
/// the limits the lab set (<see cref="Models"/>), enforced before sending. The state lives in <see cref="Store"/>:
/// the client's own by default; <see cref="InProcessLimitStore.Shared"/> shares it with the other clients of the
/// process, and a shared engine (AotGateway.Extensions.Redis) with a fleet of replicas.
/// </summary>
public sealed class GatewayLimitOptions
{
    /// <summary>
    /// Where the limit state lives. Default <see langword="null"/>: a store of the client's own (one client per key
    /// and endpoint is the usual shape; a second client with its own store learns alone, as a test's clients should).
    /// Give several clients <see cref="InProcessLimitStore.Shared"/> (or one store) to share; replicas share through Redis.
    /// </summary>
    public GatewayLimitStore? Store { get; set; }

    /// <summary>
    /// The name the state is kept under: clients (and replicas) with the same scope share limits. Default
    /// <see langword="null"/>: a keyed hash of the API key (never the key itself), so every client with one key shares.
    /// Set the same scope on clients with different keys of one group, since the gateway counts per group.
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>
    /// Whether a 429 one call met holds back every other call to that slug until it clears, instead of each call
    /// learning it alone. Default on.
    /// </summary>
    public bool ShareGatewayLimits { get; set; } = true;

    /// <summary>The limits the lab set, per model slug, enforced before sending. Default none.</summary>
    public IDictionary<string, ModelLimits> Models { get; private set; } = new Dictionary<string, ModelLimits>(StringComparer.Ordinal);

    /// <summary>
    /// The longest a call waits for a limit to clear before it fails with <see cref="GatewayRateLimitException"/>
    /// (not sent). Default two minutes (twice the longest rate window, so a burst over a per-minute limit waits its
    /// turn rather than fails); zero fails at once. A spent daily limit clears at UTC midnight, so it fails at once.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many calls of one slug may wait in this process at once; more fail at once. Default 1,024.</summary>
    public int MaxWaiting { get; set; } = 1024;

    /// <summary>
    /// The completion tokens reserved for a request that sets neither <c>max_tokens</c> nor
    /// <c>max_completion_tokens</c>, until its usage settles the reservation. Default 1,024.
    /// </summary>
    public int AssumedMaxTokens { get; set; } = 1024;

    internal GatewayLimitOptions Copy()
    {
        var copy = (GatewayLimitOptions)MemberwiseClone();
        copy.Models = new Dictionary<string, ModelLimits>(Models, StringComparer.Ordinal);
        return copy;
    }

    internal void Validate()
    {
        if (MaxWait < TimeSpan.Zero || MaxWait > TimeSpan.FromDays(1))
            throw new ArgumentOutOfRangeException(nameof(MaxWait), MaxWait, "GatewayLimitOptions.MaxWait must be between zero and one day.");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWaiting, 1, nameof(MaxWaiting));
        ArgumentOutOfRangeException.ThrowIfLessThan(AssumedMaxTokens, 1, nameof(AssumedMaxTokens));
        if (Scope is { Length: 0 or > 200 })
            throw new ArgumentException("GatewayLimitOptions.Scope must be 1 to 200 characters when set.", nameof(Scope));
        foreach (KeyValuePair<string, ModelLimits> model in Models)
        {
            if (!ModelSlug.IsValid(model.Key))
                throw new ArgumentException($"'{model.Key}' in GatewayLimitOptions.Models is not a model slug ('org/model').", nameof(Models));
            (model.Value ?? throw new ArgumentException($"The limits for '{model.Key}' are null.", nameof(Models))).Validate(model.Key);
        }
    }
}
