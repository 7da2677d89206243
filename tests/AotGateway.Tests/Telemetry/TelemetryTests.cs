using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Telemetry;

/// <summary>
/// Spans and metrics as OpenTelemetry's GenAI conventions name them, seen through ActivityListener and
/// MeterListener. Each test talks to a host name of its own, so what other tests record is filtered out.
/// </summary>
[Trait("Category", "Core")]
public sealed class TelemetryTests : IDisposable
{
    private readonly string _host = "telemetry-" + Guid.NewGuid().ToString("N")[..8] + ".test";
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener;

    public TelemetryTests()
    {
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("server.address"), _host))
                    _activities.Enqueue(activity);
            },
        };
        ActivitySource.AddActivityListener(_activityListener);
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GatewayTelemetry.Name)
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in tags)
            map[tag.Key] = tag.Value;
        if (Equals(map.GetValueOrDefault("server.address"), _host))
            _measurements.Enqueue((instrument.Name, value, map));
    }

    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }

    // Durations follow the client's clock: the system's here, so they are real (the test clock stands still).
    private TestGateway NewGateway(Action<GatewayClientOptions>? configure = null) => new(o =>
    {
        o.TimeProvider = TimeProvider.System;
        o.BaseUrl = new Uri($"https://{_host}/v1");
        configure?.Invoke(o);
    });

    [Fact]
    public async Task A_call_is_a_client_span_with_the_GenAI_attributes_and_metrics()
    {
        using TestGateway test = NewGateway();
        ChatCompletion reply = await test.Client.CompleteAsync(TestGateway.Ask("hello"));

        Activity span = Assert.Single(_activities);
        Assert.Equal($"chat {FakeGateway.DefaultModel}", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(FakeGateway.DefaultModel, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(reply.Id, span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(reply.Usage!.PromptTokens, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(reply.Usage.CompletionTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(443, span.GetTagItem("server.port"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        foreach (KeyValuePair<string, object?> tag in span.TagObjects)
            Assert.DoesNotContain(TestGateway.Key, tag.Value?.ToString() ?? "");

        var tokens = _measurements.Where(m => m.Instrument == "gen_ai.client.token.usage").ToList();
        Assert.Equal(reply.Usage.PromptTokens, tokens.Single(m => Equals(m.Tags["gen_ai.token.type"], "input")).Value);
        Assert.Equal(reply.Usage.CompletionTokens, tokens.Single(m => Equals(m.Tags["gen_ai.token.type"], "output")).Value);
        var duration = _measurements.Single(m => m.Instrument == "gen_ai.client.operation.duration");
        Assert.True(duration.Value > 0);
        Assert.Equal(FakeGateway.DefaultModel, duration.Tags["gen_ai.request.model"]);
        Assert.False(duration.Tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task A_stream_records_its_first_chunk_finish_reason_and_usage()
    {
        using TestGateway test = NewGateway();
        ChatRequest request = TestGateway.Ask("stream");
        request.IncludeUsage = true;
        ChatCompletion reply = await test.Client.StreamAsync(request).ToCompletionAsync();

        Activity span = Assert.Single(_activities);
        Assert.Contains(span.Events, e => e.Name == "gen_ai.first_chunk");
        Assert.Equal(reply.Id, span.GetTagItem("gen_ai.response.id"));
        Assert.Equal(new[] { "stop" }, span.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(reply.Usage!.CompletionTokens, span.GetTagItem("gen_ai.usage.output_tokens"));
        var first = _measurements.Single(m => m.Instrument == "gen_ai.client.operation.time_to_first_chunk");
        Assert.True(first.Value > 0);
        Assert.Equal(true, first.Tags["gen_ai.request.stream"]);
        Assert.Single(_measurements, m => m.Instrument == "gen_ai.client.operation.duration");
    }

    [Fact]
    public async Task A_failure_sets_error_type_and_status_without_the_message()
    {
        using TestGateway test = NewGateway(o => o.ApiKey = "sk-wrong-key-123");
        await Assert.ThrowsAsync<GatewayAuthenticationException>(() => test.Client.CompleteAsync(TestGateway.Ask("x")));
        Activity span = Assert.Single(_activities);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(GatewayAuthenticationException).FullName, span.GetTagItem("error.type"));
        Assert.Equal(typeof(GatewayAuthenticationException).FullName, _measurements.Single(m => m.Instrument == "gen_ai.client.operation.duration").Tags["error.type"]);
        Assert.DoesNotContain(span.TagObjects, t => (t.Value?.ToString() ?? "").Contains("sk-wrong-key-123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stream_that_fails_midway_ends_its_span_as_an_error()
    {
        using TestGateway test = NewGateway();
        test.Gateway.Enqueue(FakeReply.EventStream("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n", "data: {\"error\":{\"message\":\"overloaded\"}}\n\n"));
        await Assert.ThrowsAsync<GatewayStreamException>(() => test.Client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync());
        Activity span = Assert.Single(_activities);
        Assert.Equal(typeof(GatewayStreamException).FullName, span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Retries_are_events_on_the_call_span()
    {
        using TestGateway test = NewGateway(o =>
        {
            o.TimeProvider = TimeProvider.System;
            o.Retry = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };
        });
        test.Gateway.Enqueue(FakeReply.Error(503, "busy"));
        test.Gateway.Enqueue(FakeReply.Error(502, "busy"));
        await test.Client.CompleteAsync(TestGateway.Ask("x"));
        Activity span = Assert.Single(_activities);
        ActivityEvent[] retries = [.. span.Events.Where(e => e.Name == "gen_ai.client.retry")];
        Assert.Equal(2, retries.Length);
        Assert.Equal(1, retries[0].Tags.First(t => t.Key == "retry.attempt").Value);
        Assert.Equal(nameof(GatewayServerException), retries[0].Tags.First(t => t.Key == "retry.reason").Value);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task A_stream_abandoned_early_still_ends_its_span()
    {
        using TestGateway test = NewGateway();
        await foreach (ChatUpdate _ in test.Client.StreamAsync(TestGateway.Ask("a b c d e f")))
            break;
        Activity span = Assert.Single(_activities);
        Assert.Null(span.GetTagItem("error.type"));
        Assert.True(span.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_stream_names_the_model_that_answered_on_its_span_and_every_figure()
    {
        using TestGateway test = NewGateway();
        ChatRequest request = TestGateway.Ask("stream");
        request.IncludeUsage = true;
        ChatCompletion reply = await test.Client.StreamAsync(request).ToCompletionAsync();

        Assert.NotNull(reply.Model);
        Activity span = Assert.Single(_activities);
        Assert.Equal(reply.Model, span.GetTagItem("gen_ai.response.model"));
        foreach (var figure in _measurements)
            Assert.True(Equals(reply.Model, figure.Tags.GetValueOrDefault("gen_ai.response.model")), $"{figure.Instrument} lacks gen_ai.response.model");
        Assert.Contains(_measurements, m => m.Instrument == "gen_ai.client.token.usage");
        Assert.Contains(_measurements, m => m.Instrument == "gen_ai.client.operation.time_to_first_chunk");
    }

    [Fact]
    public async Task The_provider_is_the_endpoints_host_unless_named()
    {
        using (TestGateway test = NewGateway())
        {
            await test.Client.CompleteAsync(TestGateway.Ask("x"));
            Assert.Equal(_host, test.Client.ProviderName);
        }
        using (TestGateway named = NewGateway(o => o.ProviderName = "acme-gateway"))
        {
            await named.Client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync();
        }
        Activity[] spans = [.. _activities];
        Assert.Equal(2, spans.Length);
        Assert.Equal(_host, spans[0].GetTagItem("gen_ai.provider.name"));
        Assert.Equal("acme-gateway", spans[1].GetTagItem("gen_ai.provider.name"));
        Assert.All(_measurements, m => Assert.Contains(m.Tags["gen_ai.provider.name"], new object[] { _host, "acme-gateway" }));
        Assert.Contains(_measurements, m => Equals(m.Tags["gen_ai.provider.name"], "acme-gateway"));
    }

    [Theory]
    [InlineData("https://inference.baseten.co/v1", "baseten")]
    [InlineData("https://baseten.co/v1", "baseten")]
    [InlineData("https://BASETEN.CO/v1", "baseten")]
    [InlineData("https://notbaseten.co/v1", "notbaseten.co")]
    [InlineData("https://baseten.co.evil.example/v1", "baseten.co.evil.example")]
    [InlineData("https://llm.Acme.example:8443/v1", "llm.acme.example")]
    public void A_provider_name_follows_the_endpoint(string baseUrl, string provider)
    {
        using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = new Uri(baseUrl), ApiKey = "k" });
        Assert.Equal(provider, client.ProviderName);
    }

    [Fact]
    public void An_empty_provider_name_is_refused()
    {
        var options = new GatewayClientOptions { ApiKey = "k", ProviderName = " " };
        Assert.Contains("ProviderName", Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public async Task The_request_parameters_the_conventions_name_are_on_the_span()
    {
        using TestGateway test = NewGateway();
        ChatRequest request = TestGateway.Ask("x");
        request.MaxTokens = 77;
        request.Temperature = 0.25;
        request.TopP = 0.5;
        request.FrequencyPenalty = 0.1;
        request.PresencePenalty = -0.2;
        request.Seed = 42;
        request.Stop = ["END", "STOP"];
        request.ResponseFormat = ChatResponseFormat.JsonObject;
        await test.Client.StreamAsync(request).ToCompletionAsync();

        Activity span = Assert.Single(_activities);
        Assert.Equal(77, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(0.25, span.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(0.5, span.GetTagItem("gen_ai.request.top_p"));
        Assert.Equal(0.1, span.GetTagItem("gen_ai.request.frequency_penalty"));
        Assert.Equal(-0.2, span.GetTagItem("gen_ai.request.presence_penalty"));
        Assert.Equal(42L, span.GetTagItem("gen_ai.request.seed"));
        Assert.Equal(new[] { "END", "STOP" }, span.GetTagItem("gen_ai.request.stop_sequences"));
        Assert.Equal("json", span.GetTagItem("gen_ai.output.type"));
        Assert.Null(span.GetTagItem("gen_ai.request.choice.count"));
    }

    [Fact]
    public async Task Parameters_a_request_leaves_unset_are_not_recorded()
    {
        using TestGateway test = NewGateway();
        await test.Client.CompleteAsync(TestGateway.Ask("x"));
        Activity span = Assert.Single(_activities);
        Assert.DoesNotContain(span.TagObjects, t => t.Key.StartsWith("gen_ai.request.", StringComparison.Ordinal) && t.Key != "gen_ai.request.model");
    }
}
