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
        Assert.Same(client, provider.GetRequiredService<GatewayClient>());
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

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static ServiceProvider BuildWithAppConfiguration(FakeGateway gateway, IConfiguration appConfiguration, Action<IServiceCollection> register) =>
        Build(gateway, s =>
        {
            s.AddSingleton(appConfiguration);
            register(s);
        });

    [Fact]
    public async Task The_BASETEN_variables_configure_the_client_as_FromEnvironment_does()
    {
        // A host's IConfiguration holds the environment variables; this is what it gives for BASETEN_*.
        IConfiguration app = Settings(
            (GatewayClient.ApiKeyVariable, FakeGateway.DefaultKey),
            (GatewayClient.BaseUrlVariable, "https://from-env.example/v1"),
            (GatewayClient.ModelVariable, FakeGateway.DefaultModel));
        FakeGateway gateway = FakeGateway.CreateDefault();
        using ServiceProvider provider = BuildWithAppConfiguration(gateway, app, s => s.AddAotGateway(app.GetSection("Gateway")));
        StartupValidation(provider);
        GatewayClient client = provider.GetRequiredService<GatewayClient>();
        Assert.Equal(new Uri("https://from-env.example/v1/chat/completions"), client.Endpoint);
        Assert.Equal(FakeGateway.DefaultModel, client.DefaultModel);
        Assert.Equal("You said: hi", (await client.CompleteAsync(new ChatRequest([AotGateway.ChatMessage.User("hi")]))).Content);
        Assert.Equal("Api-Key " + FakeGateway.DefaultKey, gateway.Requests[0].Header("Authorization"));
    }

    [Theory]
    [InlineData(false, false, "https://from-env.example/v1/chat/completions")]
    [InlineData(true, false, "https://from-section.example/v1/chat/completions")]
    [InlineData(true, true, "https://from-code.example/v1/chat/completions")]
    [InlineData(false, true, "https://from-code.example/v1/chat/completions")]
    public void Environment_then_section_then_code_each_overrides_the_one_before(bool inSection, bool inCode, string expected)
    {
        var values = new List<(string, string)>
        {
            (GatewayClient.ApiKeyVariable, FakeGateway.DefaultKey),
            (GatewayClient.BaseUrlVariable, "https://from-env.example/v1"),
        };
        if (inSection)
            values.Add(("Gateway:BaseUrl", "https://from-section.example/v1"));
        IConfiguration app = Settings([.. values]);
        Action<GatewayClientOptions>? code = inCode ? o => o.BaseUrl = new Uri("https://from-code.example/v1") : null;
        using ServiceProvider provider = BuildWithAppConfiguration(FakeGateway.CreateDefault(), app, s => s.AddAotGateway(app.GetSection("Gateway"), code));
        Assert.Equal(new Uri(expected), provider.GetRequiredService<GatewayClient>().Endpoint);
    }

    [Fact]
    public void A_malformed_BASETEN_BASE_URL_fails_at_start_naming_the_variable()
    {
        IConfiguration app = Settings((GatewayClient.ApiKeyVariable, "key"), (GatewayClient.BaseUrlVariable, "not a url"));
        using ServiceProvider provider = BuildWithAppConfiguration(FakeGateway.CreateDefault(), app, s => s.AddAotGateway(o => { }));
        var ex = Assert.ThrowsAny<Exception>(() => StartupValidation(provider));
        Assert.Contains(GatewayClient.BaseUrlVariable, ex.Message);
    }

    [Fact]
    public async Task The_section_overload_also_registers_IChatClient()
    {
        IConfiguration app = Settings(
            ("Gateway:ApiKey", FakeGateway.DefaultKey), ("Gateway:BaseUrl", "https://gateway.test/v1"), ("Gateway:DefaultModel", FakeGateway.DefaultModel));
        using ServiceProvider provider = BuildWithAppConfiguration(FakeGateway.CreateDefault(), app, s => s.AddAotGatewayChatClient(app.GetSection("Gateway")));
        StartupValidation(provider);
        IChatClient chat = provider.GetRequiredService<IChatClient>();
        Assert.Equal("You said: hi", (await chat.GetResponseAsync("hi")).Text);
        Assert.Same(provider.GetRequiredService<GatewayClient>(), chat.GetService<GatewayClient>());
    }

    [Fact]
    public async Task One_client_for_the_app_resolving_it_a_thousand_times_keeps_nothing_and_the_container_disposes_it_once()
    {
        FakeGateway gateway = FakeGateway.CreateDefault();
        ServiceProvider provider = Build(gateway, s => s.AddAotGatewayChatClient(o =>
        {
            o.ApiKey = FakeGateway.DefaultKey;
            o.BaseUrl = new Uri("https://gateway.test/v1");
            o.DefaultModel = FakeGateway.DefaultModel;
        }));
        GatewayClient first = provider.GetRequiredService<GatewayClient>();
        for (int i = 0; i < 1000; i++)
        {
            Assert.Same(first, provider.GetRequiredService<GatewayClient>());
            using IServiceScope scope = provider.CreateScope();
            Assert.Same(first, scope.ServiceProvider.GetRequiredService<GatewayClient>());
        }
        // Disposing the chat client a user resolved does not pull the client from under the rest of the app.
        provider.GetRequiredService<IChatClient>().Dispose();
        Assert.Equal("You said: hi", (await first.CompleteAsync(TestGateway.Ask("hi"))).Content);
        provider.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => first.CompleteAsync(TestGateway.Ask("hi")));
    }

    [Fact]
    public async Task Every_option_set_in_code_reaches_the_client_built_on_the_factory()
    {
        using ServiceProvider provider = Build(FakeGateway.CreateDefault(), s => s.AddAotGateway(o =>
        {
            o.ApiKey = FakeGateway.DefaultKey;
            o.BaseUrl = new Uri("https://gateway.test/v1");
            o.DefaultModel = FakeGateway.DefaultModel;
            o.MaxStreamedBytes = 1024;
        }));
        GatewayClient client = provider.GetRequiredService<GatewayClient>();
        var ex = await Assert.ThrowsAsync<GatewayStreamException>(() => client.StreamAsync(TestGateway.Ask(new string('x', 2048))).ToCompletionAsync());
        Assert.Equal(GatewayStreamFailure.LimitExceeded, ex.Failure);
    }

    [Fact]
    public void The_factory_built_client_copies_every_option_but_the_transport()
    {
        // Reflection here keeps the copy honest when GatewayClientOptions grows: a new option must be copied too.
        var source = new GatewayClientOptions
        {
            ApiKey = "k", BaseUrl = new Uri("https://x.example/v1"), DefaultModel = "a/b",
            RequestTimeout = TimeSpan.FromSeconds(11), CallTimeout = TimeSpan.FromSeconds(12), StreamIdleTimeout = TimeSpan.FromSeconds(13),
            Retry = new RetryPolicy { MaxRetries = 5 }, AllowInsecureHttp = true, MaxResponseBytes = 2048, MaxEventBytes = 4096,
            MaxStreamedBytes = 8192, KeepRawJson = true, TimeProvider = new TestClock(),
        };
        source.ExtraHeaders["X-Team"] = "blue";
        source.Limits.Models["a/b"] = new ModelLimits { RequestsPerMinute = 5 };
        source.Limits.Scope = "team";
        source.ModelFallbacks["a/b"] = ["a/c"];
        using var http = new System.Net.Http.HttpClient();
        var copy = (GatewayClientOptions)typeof(AotGatewayServiceCollectionExtensions)
            .GetMethod("WithHttpClient", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .Invoke(null, [source, http])!;
        foreach (System.Reflection.PropertyInfo property in typeof(GatewayClientOptions).GetProperties())
        {
            if (property.Name is nameof(GatewayClientOptions.HttpClient) or nameof(GatewayClientOptions.Handler))
                continue;
            object? expected = property.GetValue(source), actual = property.GetValue(copy);
            if (expected is IDictionary<string, string> headers)
            {
                Assert.Equal(headers, (IDictionary<string, string>)actual!);
                Assert.NotSame(headers, actual);
            }
            else if (expected is RetryPolicy or GatewayLimitOptions)
            {
                // A copy, so changing the app's settings later changes no client already made.
                Assert.NotSame(expected, actual);
                foreach (System.Reflection.PropertyInfo setting in expected.GetType().GetProperties(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public))
                {
                    if (setting.GetValue(expected) is IDictionary<string, ModelLimits> models)
                        Assert.Equal(models, (IDictionary<string, ModelLimits>)setting.GetValue(actual)!);
                    else
                        Assert.Equal(setting.GetValue(expected), setting.GetValue(actual));
                }
            }
            else if (expected is IDictionary<string, IList<string>> fallbacks)
            {
                var copied = (IDictionary<string, IList<string>>)actual!;
                Assert.NotSame(fallbacks, copied);
                Assert.Equal(fallbacks.Keys, copied.Keys);
                foreach (string slug in fallbacks.Keys)
                    Assert.Equal(fallbacks[slug], copied[slug]);
            }
            else
                Assert.True(Equals(expected, actual), $"{property.Name} was not copied: {expected} became {actual}");
        }
        Assert.Same(http, copy.HttpClient);
    }
}
