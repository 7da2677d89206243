using System;
using Microsoft.Extensions.Options;

namespace AotGateway.Extensions.DependencyInjection;

/// <summary>
/// Checks the options the way the client will when it is built (key, URL, slug, headers, limits), so a bad
/// setting fails the app at start with the client's own message instead of at the first call.
/// </summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayClientOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ApiKey))
            return ValidateOptionsResult.Fail($"AotGateway: no API key. Set ApiKey in code or configuration (from a secret store or {GatewayClient.ApiKeyVariable}), never in source.");
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail("AotGateway: " + ex.Message);
        }
    }
}
