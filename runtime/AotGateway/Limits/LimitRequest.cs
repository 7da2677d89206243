using System;

namespace AotGateway;

/// <summary>One request asking to be sent (<see cref="GatewayLimitStore.AcquireAsync"/>).</summary>
/// <param name="Scope">The key group's name (never the key).</param>
/// <param name="Model">The model slug.</param>
/// <param name="Limits">The limits the lab set on the slug, or null when only the gateway's word applies.</param>
/// <param name="Tokens">The tokens reserved: the prompt's estimate plus the request's output cap.</param>
/// <param name="Now">The caller's clock (a shared store may keep its own).</param>
public readonly record struct LimitRequest(string Scope, string Model, ModelLimits? Limits, long Tokens, DateTimeOffset Now);
