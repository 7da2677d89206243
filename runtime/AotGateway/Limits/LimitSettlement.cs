using System;

namespace AotGateway;

/// <summary>How a granted request ended (<see cref="GatewayLimitStore.SettleAsync"/>).</summary>
/// <param name="Scope">The key group's name.</param>
/// <param name="Model">The model slug.</param>
/// <param name="Reservation">What <see cref="LimitDecision.Reservation"/> said.</param>
/// <param name="ActualTokens">The tokens the reply used, or null to give the whole reservation back (the gateway refused the call).</param>
/// <param name="Now">The caller's clock.</param>
public readonly record struct LimitSettlement(string Scope, string Model, string Reservation, long? ActualTokens, DateTimeOffset Now);
