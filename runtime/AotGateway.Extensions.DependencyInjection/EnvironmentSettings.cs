using System;
using Microsoft.Extensions.Configuration;

namespace AotGateway.Extensions.DependencyInjection;

/// <summary>
/// The variables <see cref="GatewayClient.FromEnvironment"/> reads (<c>BASETEN_API_KEY</c>, <c>BASETEN_BASE_URL</c>,
/// <c>BASETEN_MODEL</c>), taken from the app's <see cref="IConfiguration"/> when it has them (a host's configuration
/// includes the environment), else from the process environment. They are the lowest layer: a configuration
/// section and code override them, as code overrides them for <c>FromEnvironment</c>.
/// </summary>
internal static class EnvironmentSettings
{
    public static void ApplyTo(GatewayClientOptions options, IConfiguration? configuration)
    {
        if (Read(GatewayClient.ApiKeyVariable, configuration) is { } key)
            options.ApiKey = key;
        if (Read(GatewayClient.BaseUrlVariable, configuration) is { } baseUrl)
        {
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out Uri? url))
                throw new InvalidOperationException($"AotGateway: the environment variable {GatewayClient.BaseUrlVariable} is not an absolute URL: '{baseUrl}'.");
            options.BaseUrl = url;
        }
        if (Read(GatewayClient.ModelVariable, configuration) is { } model)
            options.DefaultModel = model;
    }

    private static string? Read(string name, IConfiguration? configuration)
    {
        string? value = configuration?[name] ?? Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
