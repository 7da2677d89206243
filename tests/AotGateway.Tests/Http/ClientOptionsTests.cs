using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Http;

[Trait("Category", "Core")]
public class ClientOptionsTests
{
    private static GatewayClientOptions Valid(string baseUrl = "https://gateway.test/v1") =>
        new() { BaseUrl = new Uri(baseUrl), ApiKey = "k-123", DefaultModel = "acme/model-1" };

    [Fact]
    public void The_default_base_url_is_the_gateway()
    {
        using var client = new GatewayClient(new GatewayClientOptions { ApiKey = "k" });
        Assert.Equal("https://inference.baseten.co/v1/chat/completions", client.Endpoint.ToString());
    }

    [Theory]
    [InlineData("https://api.your-lab.com/v1", "https://api.your-lab.com/v1/chat/completions")]
    [InlineData("https://api.your-lab.com/v1/", "https://api.your-lab.com/v1/chat/completions")]
    [InlineData("https://api.your-lab.com", "https://api.your-lab.com/chat/completions")]
    [InlineData("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1/chat/completions")]
    [InlineData("http://localhost:8080/v1", "http://localhost:8080/v1/chat/completions")]
    [InlineData("http://[::1]:8080/v1", "http://[::1]:8080/v1/chat/completions")]
    public void Branded_and_loopback_urls_work_the_same(string baseUrl, string endpoint)
    {
        using var client = new GatewayClient(Valid(baseUrl));
        Assert.Equal(endpoint, client.Endpoint.ToString());
    }

    [Fact]
    public void Plain_http_to_a_remote_host_is_refused_unless_allowed()
    {
        var error = Assert.Throws<ArgumentException>(() => new GatewayClient(Valid("http://gateway.example.com/v1")));
        Assert.Contains("unencrypted", error.Message);
        GatewayClientOptions allowed = Valid("http://gateway.example.com/v1");
        allowed.AllowInsecureHttp = true;
        using var client = new GatewayClient(allowed);
        Assert.Equal("http", client.Endpoint.Scheme);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("s3cr3t-val\r\nX-Injected: 1")]
    [InlineData("s3cr3t-val\n")]
    [InlineData("Bearer s3cr3t-val")]
    public void Keys_that_cannot_be_sent_safely_are_refused_without_echoing_them(string key)
    {
        GatewayClientOptions options = Valid();
        options.ApiKey = key;
        var error = Assert.Throws<ArgumentException>(() => new GatewayClient(options));
        if (key.Trim().Length > 0)
            Assert.DoesNotContain(key.Trim(), error.Message);
    }

    [Theory]
    [InlineData("llama-3")]
    [InlineData("acme/")]
    [InlineData("/model")]
    [InlineData("a/b/c")]
    [InlineData("acme/llama 3")]
    public void A_default_model_that_is_not_a_slug_is_refused(string slug)
    {
        GatewayClientOptions options = Valid();
        options.DefaultModel = slug;
        var error = Assert.Throws<ArgumentException>(() => new GatewayClient(options));
        Assert.Contains("org/model", error.Message);
    }

    [Fact]
    public async Task A_request_slug_is_checked_before_anything_is_sent()
    {
        using var test = new TestGateway();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi", "not-a-slug")));
        Assert.Contains("org/model", error.Message);
        Assert.Empty(test.Gateway.Requests);
    }

    [Fact]
    public async Task A_request_without_any_model_says_how_to_set_one()
    {
        using var test = new TestGateway(o => o.DefaultModel = null);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.Contains("BASETEN_MODEL", error.Message);
        Assert.Empty(test.Gateway.Requests);
    }

    [Fact]
    public async Task A_request_without_messages_is_refused()
    {
        using var test = new TestGateway();
        await Assert.ThrowsAsync<ArgumentException>(() => test.Client.CompleteAsync(new ChatRequest()));
        Assert.Empty(test.Gateway.Requests);
    }

    [Theory]
    [InlineData("Authorization", "Bearer x")]
    [InlineData("Content-Type", "text/plain")]
    [InlineData("X-Routing", "a\r\nX-Evil: 1")]
    [InlineData("Bad Name", "v")]
    public void Extra_headers_cannot_override_the_client_or_inject(string name, string value)
    {
        GatewayClientOptions options = Valid();
        options.ExtraHeaders[name] = value;
        Assert.Throws<ArgumentException>(() => new GatewayClient(options));
    }

    [Fact]
    public async Task Requests_carry_the_gateway_headers_and_never_Bearer()
    {
        using var test = new TestGateway(o => o.ExtraHeaders["X-Routing-Hint"] = "eu-west");
        await test.Client.CompleteAsync(TestGateway.Ask("hi"));
        FakeHttpRequest sent = Assert.Single(test.Gateway.Requests);
        Assert.Equal("Api-Key " + TestGateway.Key, sent.Header("Authorization"));
        Assert.StartsWith("application/json", sent.Header("Content-Type"));
        Assert.Equal("application/json", sent.Header("Accept"));
        Assert.StartsWith("AotGateway/" + AotGateway.Infrastructure.LibraryInfo.Version, sent.Header("User-Agent"));
        Assert.Equal("eu-west", sent.Header("X-Routing-Hint"));
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Contains("\"model\":\"fake/echo-1\"", sent.BodyText);
    }

    [Fact]
    public void The_user_agent_version_matches_the_assembly()
    {
        Version version = typeof(GatewayClient).Assembly.GetName().Version!;
        Assert.Equal(AotGateway.Infrastructure.LibraryInfo.Version, $"{version.Major}.{version.Minor}.{version.Build}");
    }

    [Fact]
    public void FromEnvironment_names_the_missing_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GatewayClient.OptionsFromEnvironment(_ => null, null));
        Assert.Contains("BASETEN_API_KEY", error.Message);
    }

    [Fact]
    public void FromEnvironment_reads_key_base_url_and_model()
    {
        var environment = new Dictionary<string, string>
        {
            ["BASETEN_API_KEY"] = " k-env \n",
            ["BASETEN_BASE_URL"] = "https://api.your-lab.com/v1",
            ["BASETEN_MODEL"] = "acme/llama-3-70b",
        };
        GatewayClientOptions options = GatewayClient.OptionsFromEnvironment(name => environment.GetValueOrDefault(name), o => o.RequestTimeout = TimeSpan.FromSeconds(5));
        Assert.Equal("k-env", options.ApiKey);
        Assert.Equal(new Uri("https://api.your-lab.com/v1"), options.BaseUrl);
        Assert.Equal("acme/llama-3-70b", options.DefaultModel);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
    }

    [Fact]
    public void FromEnvironment_rejects_a_base_url_that_is_not_a_url()
    {
        var environment = new Dictionary<string, string> { ["BASETEN_API_KEY"] = "k", ["BASETEN_BASE_URL"] = "not a url" };
        var error = Assert.Throws<InvalidOperationException>(() => GatewayClient.OptionsFromEnvironment(name => environment.GetValueOrDefault(name), null));
        Assert.Contains("BASETEN_BASE_URL", error.Message);
    }

    [Fact]
    public async Task An_injected_HttpClient_is_used_and_not_disposed()
    {
        var gateway = FakeGateway.CreateDefault();
        using var http = new System.Net.Http.HttpClient(gateway.CreateHandler());
        using (var client = new GatewayClient(new GatewayClientOptions { ApiKey = FakeGateway.DefaultKey, DefaultModel = FakeGateway.DefaultModel, HttpClient = http, BaseUrl = new Uri("https://gateway.test/v1") }))
            await client.CompleteAsync(TestGateway.Ask("one"));
        // Still usable after the gateway client is gone.
        using var again = new GatewayClient(new GatewayClientOptions { ApiKey = FakeGateway.DefaultKey, DefaultModel = FakeGateway.DefaultModel, HttpClient = http, BaseUrl = new Uri("https://gateway.test/v1") });
        ChatCompletion reply = await again.CompleteAsync(TestGateway.Ask("two"));
        Assert.Equal("You said: two", reply.Content);
    }
}
