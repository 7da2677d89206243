using System.Threading;
using System.Threading.Tasks;

namespace AotGateway;

/// <summary>
/// Where the limit state of a key group lives (<see cref="GatewayLimitOptions.Store"/>): what the gateway said, and the
/// requests and tokens spent against the limits the lab set. <see cref="InProcessLimitStore"/> keeps it in this
/// process; AotGateway.Extensions.Redis keeps it in Redis, so replicas share it. Every operation must be atomic for
/// its scope and slug: two calls may not both take the last slot.
/// </summary>
public abstract class GatewayLimitStore
{
    /// <summary>
    /// Asks for one request's worth (and its estimated tokens) under the limits: granted (and reserved), or not before
    /// a moment, or never (it cannot fit at all).
    /// </summary>
    public abstract ValueTask<LimitDecision> AcquireAsync(LimitRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// A granted request ended: its reservation is set to the tokens it really used, or given back when it was not
    /// served (<see cref="LimitSettlement.ActualTokens"/> null: the gateway refused it, and refused calls cost nothing).
    /// </summary>
    public abstract ValueTask SettleAsync(LimitSettlement settlement, CancellationToken cancellationToken = default);

    /// <summary>The gateway refused a call with 429: every call of the scope and slug is held until it clears.</summary>
    public abstract ValueTask ReportAsync(LimitReport report, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether <see cref="AcquireAsync"/> would grant a request under <paramref name="limits"/> without a reservation
    /// whatever its scope, so the caller may skip naming the scope (hashing the key loads the platform's cryptography
    /// library, OpenSSL on Linux: 3.5 MB resident, on a client's first request). No, unless a store knows better.
    /// </summary>
    internal virtual bool GrantsAnyScope(ModelLimits? limits) => false;
}
