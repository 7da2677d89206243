using System;

namespace AotGateway;

/// <summary>A 429 the gateway sent (<see cref="GatewayLimitStore.ReportAsync"/>).</summary>
/// <param name="Scope">The key group's name.</param>
/// <param name="Model">The model slug.</param>
/// <param name="Until">When it clears: the wait the gateway asked for, or UTC midnight for a daily limit that named none.</param>
/// <param name="IsUsageLimit">Whether it is a daily usage limit rather than a rate limit.</param>
/// <param name="Now">The caller's clock.</param>
public readonly record struct LimitReport(string Scope, string Model, DateTimeOffset Until, bool IsUsageLimit, DateTimeOffset Now);
