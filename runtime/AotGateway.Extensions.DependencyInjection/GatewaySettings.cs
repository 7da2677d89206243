using System;
using System.Collections.Generic;

namespace AotGateway.Extensions.DependencyInjection;

/// <summary>
/// What a configuration section may set, as plain values the binding generator can read (the options class also
/// holds handlers and clocks, which configuration cannot).
/// </summary>
internal sealed class GatewaySettings
{
    public string? ApiKey { get; set; }
    public Uri? BaseUrl { get; set; }
    public string? DefaultModel { get; set; }
    public TimeSpan? RequestTimeout { get; set; }
    public TimeSpan? CallTimeout { get; set; }
    public TimeSpan? StreamIdleTimeout { get; set; }
    public int? MaxRetries { get; set; }
    public bool? AllowInsecureHttp { get; set; }
    public Dictionary<string, string> ExtraHeaders { get; set; } = [];

    public void ApplyTo(GatewayClientOptions options)
    {
        if (ApiKey is not null)
            options.ApiKey = ApiKey;
        if (BaseUrl is not null)
            options.BaseUrl = BaseUrl;
        if (DefaultModel is not null)
            options.DefaultModel = DefaultModel;
        if (RequestTimeout is { } request)
            options.RequestTimeout = request;
        if (CallTimeout is { } call)
            options.CallTimeout = call;
        if (StreamIdleTimeout is { } idle)
            options.StreamIdleTimeout = idle;
        if (MaxRetries is { } retries)
            options.Retry = new RetryPolicy { MaxRetries = retries, InitialDelay = options.Retry.InitialDelay, MaxDelay = options.Retry.MaxDelay, MaxRetryAfter = options.Retry.MaxRetryAfter, Jitter = options.Retry.Jitter };
        if (AllowInsecureHttp is { } insecure)
            options.AllowInsecureHttp = insecure;
        foreach (KeyValuePair<string, string> header in ExtraHeaders)
            options.ExtraHeaders[header.Key] = header.Value;
    }
}
