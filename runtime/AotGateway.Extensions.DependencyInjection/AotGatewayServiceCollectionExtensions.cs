using System;
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
    /// Registers <see cref="GatewayClient"/> (a singleton over an <see cref="HttpClient"/> from
    /// <see cref="IHttpClientFactory"/>) with options from the environment, then <paramref name="configure"/>.
    /// <c>BASETEN_API_KEY</c>, <c>BASETEN_BASE_URL</c> and <c>BASETEN_MODEL</c> are read as
    /// <see cref="GatewayClient.FromEnvironment"/> reads them (from the app's <see cref="IConfiguration"/>, which
    /// a host fills from the environment, or from the process environment); code overrides them.
    /// The options are validated when the app starts. Redirects are never followed.
    /// </summary>
    public static IHttpClientBuilder AddAotGateway(this IServiceCollection services, Action<GatewayClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(services, section: null, configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="GatewayClient"/> with options from the environment, then a configuration section
    /// (<c>ApiKey</c>, <c>BaseUrl</c>, <c>DefaultModel</c>, <c>RequestTimeout</c>, <c>CallTimeout</c>,
    /// <c>StreamIdleTimeout</c>, <c>MaxRetries</c>, <c>AllowInsecureHttp</c>, <c>ExtraHeaders</c>) bound without
    /// reflection, then <paramref name="configure"/>: each layer overrides the one before.
    /// </summary>
    public static IHttpClientBuilder AddAotGateway(this IServiceCollection services, IConfiguration section, Action<GatewayClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        AddOptions(services, section, configure);
        return AddCore(services);
    }

    /// <summary>As <see cref="AddAotGateway(IServiceCollection, Action{GatewayClientOptions})"/>, and registers <see cref="IChatClient"/> over the client.</summary>
    public static IHttpClientBuilder AddAotGatewayChatClient(this IServiceCollection services, Action<GatewayClientOptions> configure)
    {
        IHttpClientBuilder builder = services.AddAotGateway(configure);
        AddChatClient(services);
        return builder;
    }

    /// <summary>As <see cref="AddAotGateway(IServiceCollection, IConfiguration, Action{GatewayClientOptions})"/>, and registers <see cref="IChatClient"/> over the client.</summary>
    public static IHttpClientBuilder AddAotGatewayChatClient(this IServiceCollection services, IConfiguration section, Action<GatewayClientOptions>? configure = null)
    {
        IHttpClientBuilder builder = services.AddAotGateway(section, configure);
        AddChatClient(services);
        return builder;
    }

    private static void AddOptions(IServiceCollection services, IConfiguration? section, Action<GatewayClientOptions>? configure)
    {
        services.AddOptions<GatewayClientOptions>()
            .Configure<IServiceProvider>(static (options, provider) => EnvironmentSettings.ApplyTo(options, provider.GetService<IConfiguration>()))
            .Configure(options =>
            {
                if (section is not null)
                {
                    var settings = new GatewaySettings();
                    section.Bind(settings);
                    settings.ApplyTo(options);
                }
                configure?.Invoke(options);
            })
            .ValidateOnStart();
    }

    // The container disposes the client it made; the chat client must not dispose it a second time.
    private static void AddChatClient(IServiceCollection services) =>
        services.TryAddSingleton<IChatClient>(static sp => new GatewayChatClient(sp.GetRequiredService<GatewayClient>(), ownsClient: false));

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayClientOptions>, GatewayOptionsValidator>());
        // One client for the app, as for HttpClient: it is thread-safe, and a transient disposable resolved from the
        // root provider would be kept alive by the container until the app ends. Its handler recycles connections
        // (PooledConnectionLifetime), so DNS changes are seen without the factory's handler rotation.
        services.TryAddSingleton(static sp =>
        {
            GatewayClientOptions configured = sp.GetRequiredService<IOptions<GatewayClientOptions>>().Value;
            HttpClient http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new GatewayClient(WithHttpClient(configured, http));
        });
        return services.AddHttpClient(HttpClientName, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The core's own handler (no redirects, drained replies closed at once, HTTP/2 beyond one connection), so
            // the two cannot drift apart; the client's own timeouts rule.
            .ConfigurePrimaryHttpMessageHandler(static () => GatewayClient.CreateHttpHandler());
    }

    /// <summary>The configured options with this client's HttpClient (the options instance is shared and stays as configured).</summary>
    private static GatewayClientOptions WithHttpClient(GatewayClientOptions source, HttpClient http)
    {
        GatewayClientOptions options = source.Clone();
        options.HttpClient = http;
        return options;
    }
}
