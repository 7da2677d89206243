using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Errors;

[Trait("Category", "Core")]
public class ErrorMappingTests
{
    public static TheoryData<string> Failures => Fixtures.JsonResponses(success: false);

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Recorded_error_bodies_become_typed_errors_with_the_gateway_details(string name)
    {
        using var test = new TestGateway(o => o.Retry = RetryPolicy.None);
        int status = Fixtures.Status(name);
        string body = Encoding.UTF8.GetString(Fixtures.Response(name));
        test.Gateway.Enqueue(FakeReply.Json(status, body, new KeyValuePair<string, string>("x-request-id", "req_123")));

        GatewayException error = await Assert.ThrowsAnyAsync<GatewayException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));

        Assert.IsType(status == 401 ? typeof(GatewayAuthenticationException) : typeof(GatewayBadRequestException), error);
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        System.Text.Json.JsonElement expected = doc.RootElement.GetProperty("error");
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(expected.GetProperty("message").GetString(), error.GatewayMessage);
        Assert.Equal(expected.GetProperty("type").GetString(), error.ErrorType);
        Assert.Equal(expected.GetProperty("code").GetString(), error.ErrorCode);
        Assert.Equal("req_123", error.RequestId);
        Assert.Contains("req_123", error.Message);
    }

    [Theory]
    [InlineData(401, typeof(GatewayAuthenticationException))]
    [InlineData(403, typeof(GatewayAuthenticationException))]
    [InlineData(404, typeof(GatewayModelNotFoundException))]
    [InlineData(400, typeof(GatewayBadRequestException))]
    [InlineData(422, typeof(GatewayBadRequestException))]
    [InlineData(413, typeof(GatewayBadRequestException))]
    [InlineData(408, typeof(GatewayTimeoutException))]
    [InlineData(429, typeof(GatewayRateLimitException))]
    [InlineData(500, typeof(GatewayServerException))]
    [InlineData(502, typeof(GatewayServerException))]
    [InlineData(503, typeof(GatewayServerException))]
    public async Task Each_status_maps_to_its_exception_type(int status, Type expected)
    {
        using var test = new TestGateway(o => o.Retry = RetryPolicy.None);
        test.Gateway.Enqueue(FakeReply.Error(status, "nope", "some_type", "some_code"));
        GatewayException error = await Assert.ThrowsAnyAsync<GatewayException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.IsType(expected, error);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("nope", error.GatewayMessage);
    }

    [Fact]
    public async Task An_unknown_slug_names_the_model_and_what_to_check()
    {
        using var test = new TestGateway();
        var error = await Assert.ThrowsAsync<GatewayModelNotFoundException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi", "acme/missing-model")));
        Assert.Contains("acme/missing-model", error.Message);
        Assert.Contains("org/model", error.Message);
        Assert.Equal("model_not_found", error.ErrorCode);
    }

    [Fact]
    public void A_key_that_includes_a_Bearer_prefix_gets_a_hint()
    {
        GatewayException error = GatewayErrorFactory.FromResponse(401, null, "application/json", """{"error":{"message":"bad"}}"""u8,
            new GatewayErrorFactory.CallContext("a/b", "gateway.test", "Bearer sk-abc123", 1, new SecretRedactor("Bearer sk-abc123")), DateTimeOffset.UnixEpoch);
        Assert.Contains("auth scheme prefix", error.Message);
        Assert.DoesNotContain("sk-abc123", error.Message);
    }

    [Fact]
    public void A_missing_key_gets_a_hint_naming_the_variable()
    {
        GatewayException error = GatewayErrorFactory.FromResponse(401, null, null, default,
            new GatewayErrorFactory.CallContext("a/b", "gateway.test", "", 1, SecretRedactor.None), DateTimeOffset.UnixEpoch);
        Assert.Contains("BASETEN_API_KEY", error.Message);
    }

    [Fact]
    public async Task A_key_echoed_by_the_server_is_redacted_everywhere()
    {
        const string key = "sk-live-very-secret-0123456789";
        using var test = new TestGateway(o => o.ApiKey = key, FakeGateway.CreateDefault().AddKey(key, FakeGateway.DefaultModel));
        test.Gateway.Enqueue(FakeReply.Error(401, $"Incorrect API key provided: {key}.", "invalid_request_error", key));
        var error = await Assert.ThrowsAsync<GatewayAuthenticationException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.DoesNotContain(key, error.Message);
        Assert.DoesNotContain(key, error.GatewayMessage);
        Assert.DoesNotContain(key, error.ErrorCode);
        Assert.DoesNotContain(key, error.ToString());
        Assert.Contains("[redacted]", error.GatewayMessage);
        Assert.DoesNotContain(key, test.Client.ToString());
        Assert.DoesNotContain(key, new GatewayClientOptions { ApiKey = key }.ToString());
    }

    [Fact]
    public async Task An_HTML_error_page_from_a_proxy_is_described_not_dumped()
    {
        using var test = new TestGateway(o => o.Retry = RetryPolicy.None);
        test.Gateway.Enqueue(FakeReply.Text(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"));
        var error = await Assert.ThrowsAsync<GatewayServerException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.Contains("HTML page", error.Message);
        Assert.DoesNotContain("<html>", error.Message);
    }

    [Fact]
    public async Task A_200_that_is_not_a_completion_is_a_protocol_error()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Text(200, "text/html", "<html>login</html>"));
        var error = await Assert.ThrowsAsync<GatewayProtocolException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.Contains("HTML page", error.Message);

        test.Gateway.Enqueue(FakeReply.Json(200, """{"choices":"#"}"""));
        await Assert.ThrowsAsync<GatewayProtocolException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
    }

    [Fact]
    public async Task A_response_larger_than_the_limit_is_refused()
    {
        using var test = new TestGateway(o => o.MaxResponseBytes = 4096);
        test.Gateway.Enqueue(FakeReply.Json(200, "{\"id\":\"" + new string('x', 10_000) + "\"}"));
        var error = await Assert.ThrowsAsync<GatewayProtocolException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.Contains("MaxResponseBytes", error.Message);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_says_where_it_pointed()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Text(307, "text/plain", "", new KeyValuePair<string, string>("Location", "https://elsewhere.example/v1/chat/completions")));
        var error = await Assert.ThrowsAsync<GatewayBadRequestException>(() => test.Client.CompleteAsync(TestGateway.Ask("hi")));
        Assert.Contains("elsewhere.example", error.Message);
        Assert.Single(test.Gateway.Requests);
    }

    [Fact]
    public void A_structured_detail_is_kept_as_its_JSON_text()
    {
        // FastAPI's validation errors put an array where other servers put a message.
        byte[] body = System.Text.Encoding.UTF8.GetBytes("""{"detail": [ {"loc": ["body", "model"], "msg": "field required é", "n": 1.50, "ok": true, "x": null} ]}""");
        Assert.True(ErrorBodyReader.TryRead(body, out ErrorBodyReader.ErrorBody error));
        Assert.Equal("""[{"loc":["body","model"],"msg":"field required é","n":1.50,"ok":true,"x":null}]""", error.Message);
    }
}
