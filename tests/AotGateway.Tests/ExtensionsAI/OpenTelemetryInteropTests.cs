using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using AotGateway.Extensions.AI;
using AotGateway.Tests.Support;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace AotGateway.Tests.ExtensionsAI;

/// <summary>
/// The library's telemetry beside Microsoft.Extensions.AI's <c>UseOpenTelemetry()</c>, exported by the real
/// OpenTelemetry SDK: both layers name the same provider and models, the library's span nests in the adapter's,
/// and with README's view each figure is recorded once (without it, twice). Each test uses a host and an
/// M.E.AI source name of its own, so what other tests record is filtered out.
/// </summary>
public sealed class OpenTelemetryInteropTests
{
    private readonly string _host = "otel-" + Guid.NewGuid().ToString("N")[..8] + ".test";
    private readonly string _aiSource = "Test.Microsoft.Extensions.AI." + Guid.NewGuid().ToString("N")[..8];

    private TestGateway NewGateway() => new(o =>
    {
        o.TimeProvider = TimeProvider.System;
        o.BaseUrl = new Uri($"https://{_host}/v1");
    });

    private async Task<(long Library, long Adapter, List<Activity> Spans, string Model)> RunBothLayers(bool dropAdapterMetrics)
    {
        var metrics = new List<Metric>();
        var spans = new List<Activity>();
        MeterProviderBuilder meterBuilder = Sdk.CreateMeterProviderBuilder().AddMeter(GatewayTelemetry.Name, _aiSource);
        if (dropAdapterMetrics)
        {
            // README's view: the library's meter sees every call, the adapter's included; drop the adapter's copy.
            meterBuilder.AddView(instrument =>
                instrument.Meter.Name == _aiSource && instrument.Name.StartsWith("gen_ai.client.", StringComparison.Ordinal)
                    ? MetricStreamConfiguration.Drop
                    : null);
        }
        using MeterProvider meters = meterBuilder.AddInMemoryExporter(metrics).Build()!;
        using TracerProvider tracer = Sdk.CreateTracerProviderBuilder().AddSource(GatewayTelemetry.Name, _aiSource).AddInMemoryExporter(spans).Build()!;

        using TestGateway test = NewGateway();
        IChatClient chat = test.Client.AsIChatClient().AsBuilder().UseOpenTelemetry(sourceName: _aiSource).Build();
        ChatResponse whole = await chat.GetResponseAsync("hello");
        ChatResponse streamed = await chat.GetStreamingResponseAsync("hello").ToChatResponseAsync();
        Assert.Equal(whole.ModelId, streamed.ModelId);
        meters.ForceFlush();
        tracer.ForceFlush();
        // Counted now: disposing the provider exports its cumulative figures once more into the same list.
        return (OutputTokenRecords(metrics, GatewayTelemetry.Name), OutputTokenRecords(metrics, _aiSource),
            spans.Where(s => Equals(s.GetTagItem("server.address"), _host)).ToList(), whole.ModelId!);
    }

    /// <summary>How many output-token figures a meter recorded for this test's host.</summary>
    private long OutputTokenRecords(List<Metric> metrics, string source)
    {
        long count = 0;
        foreach (Metric metric in metrics.Where(m => m.MeterName == source && m.Name == "gen_ai.client.token.usage"))
        {
            foreach (MetricPoint point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                    tags[tag.Key] = tag.Value;
                if (Equals(tags.GetValueOrDefault("server.address"), _host) && Equals(tags.GetValueOrDefault("gen_ai.token.type"), "output"))
                    count += point.GetHistogramCount();
            }
        }
        return count;
    }

    [Fact]
    public async Task With_the_view_each_figure_is_recorded_once_by_the_library()
    {
        var (library, adapter, _, _) = await RunBothLayers(dropAdapterMetrics: true);
        Assert.Equal(2, library);
        Assert.Equal(0, adapter);
    }

    [Fact]
    public async Task Without_it_both_layers_count_every_call()
    {
        var (library, adapter, _, _) = await RunBothLayers(dropAdapterMetrics: false);
        Assert.Equal(2, library);
        Assert.Equal(2, adapter);
    }

    [Fact]
    public async Task Both_layers_name_the_same_provider_and_models_and_the_library_span_nests()
    {
        var (_, _, spans, model) = await RunBothLayers(dropAdapterMetrics: true);
        Activity[] adapter = [.. spans.Where(s => s.Source.Name == _aiSource)];
        Activity[] library = [.. spans.Where(s => s.Source.Name == GatewayTelemetry.Name)];
        Assert.Equal(2, adapter.Length);
        Assert.Equal(2, library.Length);
        for (int i = 0; i < 2; i++)
        {
            Activity outer = adapter.Single(a => a.SpanId == library[i].ParentSpanId);
            foreach (string tag in (string[])["gen_ai.provider.name", "gen_ai.request.model", "gen_ai.response.model", "gen_ai.operation.name", "server.address"])
                Assert.True(Equals(outer.GetTagItem(tag), library[i].GetTagItem(tag)), $"{tag}: adapter '{outer.GetTagItem(tag)}', library '{library[i].GetTagItem(tag)}'");
            Assert.Equal(_host, library[i].GetTagItem("gen_ai.provider.name"));
            Assert.Equal(model, library[i].GetTagItem("gen_ai.response.model"));
        }
    }
}
