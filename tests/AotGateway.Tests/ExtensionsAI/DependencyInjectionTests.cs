using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AotGateway.Extensions.DependencyInjection;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace AotGateway.Tests.ExtensionsAI;

/// <summary>services.AddAotGateway: the client through IHttpClientFactory, options from code or configuration, checked at start.</summary>
public class DependencyInjectionTests
{
    private static ServiceProvider Build(FakeGateway gateway, Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        services.AddHttpClient(AotGatewayServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(gateway.CreateHandler);
        return services.BuildServiceProvider();
    }

    private static void StartupValidation(IServiceProvider provider) => provider.GetRequiredService<IStartupValidator>().Validate();

    [Fact]
    public async Task Options_from_code_give_a_working_client()
    {
        FakeGateway gateway = FakeGateway.CreateDefault();
        using ServiceProvider provider = Build(gateway, s => s.AddAotGateway(o =>
        {
            o.ApiKey = FakeGateway.DefaultKey;
            o.BaseUrl = new Uri("https://gateway.test/v1");
            o.DefaultModel = FakeGateway.DefaultModel;
        }));
        StartupValidation(provider);
        GatewayClient client = provider.GetRequiredService<GatewayClient>();
        Assert.Equal("You said: hi", (await client.CompleteAsync(TestGateway.Ask("hi"))).Content);
        Assert.Equal("Api-Key " + FakeGateway.DefaultKey, gateway.Requests[0].Header("Authorization"));
        Assert.NotSame(client, provider.GetRequiredService<GatewayClient>());
    }

    [Fact]
    public async Task Options_bind_from_a_configuration_section()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:ApiKey"] = FakeGateway.DefaultKey,
            ["Gateway:BaseUrl"] = "https://branded.example/v1",
            ["Gateway:DefaultModel"] = FakeGateway.DefaultModel,
            ["Gateway:RequestTimeout"] = "00:00:42",
            ["Gateway:StreamIdleTimeout"] = "00:00:07",
            ["Gateway:MaxRetries"] = "1",
            ["Gateway:ExtraHeaders:X-Team"] = "blue",
        }).Build();
        FakeGateway gateway = FakeGateway.CreateDefault();
        using ServiceProvider provider = Build(gateway, s => s.AddAotGateway(configuration.GetSection("Gateway")));
        StartupValidation(provider);
        GatewayClientOptions options = provider.GetRequiredService<IOptions<GatewayClientOptions>>().Value;
        Assert.Equal(new Uri("https://branded.example/v1"), options.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(42), options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), options.StreamIdleTimeout);
        Assert.Equal(1, options.Retry.MaxRetries);
        await provider.GetRequiredService<GatewayClient>().CompleteAsync(TestGateway.Ask("hi"));
        Assert.Equal("blue", gateway.Requests[0].Header("X-Team"));
        Assert.Equal("/v1/chat/completions", gateway.Requests[0].Path);
    }

    [Theory]
    [InlineData(null, "https://gateway.test/v1", "acme/model", "no API key")]
    [InlineData("key", "https://gateway.test/v1", "llama-3", "not a model slug")]
    [InlineData("key", "http://gateway.example/v1", "acme/model", "http")]
    public void Bad_options_fail_at_start_with_the_clients_message(string? key, string url, string model, string expected)
    {
        using ServiceProvider provider = Build(FakeGateway.CreateDefault(), s => s.AddAotGateway(o =>
        {
            o.ApiKey = key;
            o.BaseUrl = new Uri(url);
            o.DefaultModel = model;
        }));
        var ex = Assert.Throws<OptionsValidationException>(() => StartupValidation(provider));
        Assert.Contains(expected, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("AotGateway: ", ex.Failures.Single());
    }

    [Fact]
    public async Task The_chat_client_registration_adds_IChatClient()
    {
        using ServiceProvider provider = Build(FakeGateway.CreateDefault(), s => s.AddAotGatewayChatClient(o =>
        {
            o.ApiKey = FakeGateway.DefaultKey;
            o.BaseUrl = new Uri("https://gateway.test/v1");
            o.DefaultModel = FakeGateway.DefaultModel;
        }));
        using IChatClient chat = provider.GetRequiredService<IChatClient>();
        Assert.Equal("You said: hi", (await chat.GetResponseAsync("hi")).Text);
        Assert.NotNull(chat.GetService<GatewayClient>());
    }
}
