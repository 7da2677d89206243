using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using AotGateway.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AotGateway.Extensions.DependencyInjection;

/// <summary>Registers AotGateway with dependency injection.</summary>
public static class AotGatewayServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the client is built on (configure it with the returned builder).</summary>
    public const string HttpClientName = "AotGateway";

    /// <summary>
    /// Registers <see cref="GatewayClient"/> (transient, each over an <see cref="HttpClient"/> from
    /// <see cref="IHttpClientFactory"/>, which pools and rotates the handlers) with options set in code.
    /// The options are validated when the app starts. Redirects are never followed.
    /// </summary>
    public static IHttpClientBuilder AddAotGateway(this IServiceCollection services, Action<GatewayClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<GatewayClientOptions>().Configure(configure).ValidateOnStart();
        return AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="GatewayClient"/> with options from a configuration section (<c>ApiKey</c>,
    /// <c>BaseUrl</c>, <c>DefaultModel</c>, <c>RequestTimeout</c>, <c>StreamIdleTimeout</c>, <c>MaxRetries</c>,
    /// <c>AllowInsecureHttp</c>, <c>ExtraHeaders</c>), bound without reflection, then <paramref name="configure"/>.
    /// </summary>
    public static IHttpClientBuilder AddAotGateway(this IServiceCollection services, IConfiguration section, Action<GatewayClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<GatewayClientOptions>()
            .Configure(options =>
            {
                var settings = new GatewaySettings();
                section.Bind(settings);
                settings.ApplyTo(options);
                configure?.Invoke(options);
            })
            .ValidateOnStart();
        return AddCore(services);
    }

    /// <summary>Also registers <see cref="IChatClient"/> over the gateway client.</summary>
    public static IHttpClientBuilder AddAotGatewayChatClient(this IServiceCollection services, Action<GatewayClientOptions> configure)
    {
        IHttpClientBuilder builder = services.AddAotGateway(configure);
        services.TryAddTransient<IChatClient>(static sp => new GatewayChatClient(sp.GetRequiredService<GatewayClient>(), ownsClient: true));
        return builder;
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayClientOptions>, GatewayOptionsValidator>());
        services.TryAddTransient(static sp =>
        {
            GatewayClientOptions configured = sp.GetRequiredService<IOptions<GatewayClientOptions>>().Value;
            HttpClient http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new GatewayClient(WithHttpClient(configured, http));
        });
        return services.AddHttpClient(HttpClientName, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The key must never follow a redirect to a host the user did not name; the client's own timeouts rule.
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(30),
            });
    }

    /// <summary>The configured options with this client's HttpClient (the options instance is shared and stays as configured).</summary>
    private static GatewayClientOptions WithHttpClient(GatewayClientOptions source, HttpClient http)
    {
        var options = new GatewayClientOptions
        {
            ApiKey = source.ApiKey,
            BaseUrl = source.BaseUrl,
            DefaultModel = source.DefaultModel,
            RequestTimeout = source.RequestTimeout,
            StreamIdleTimeout = source.StreamIdleTimeout,
            Retry = source.Retry,
            AllowInsecureHttp = source.AllowInsecureHttp,
            MaxResponseBytes = source.MaxResponseBytes,
            MaxEventBytes = source.MaxEventBytes,
            TimeProvider = source.TimeProvider,
            HttpClient = http,
        };
        foreach (var header in source.ExtraHeaders)
            options.ExtraHeaders[header.Key] = header.Value;
        return options;
    }
}
