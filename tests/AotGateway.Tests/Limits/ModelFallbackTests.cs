using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Limits;

/// <summary>A slug that cannot answer hands the call to the next: the reply, the stream and telemetry say which answered.</summary>
[Trait("Category", "Core")]
public class ModelFallbackTests
{
    private const string Primary = FakeGateway.DefaultModel, Second = FakeGateway.ReasoningModel;

    private static TestGateway WithFallbacks(FakeGateway gateway, TestClock clock, params string[] fallbacks) =>
        new(o => o.ModelFallbacks[Primary] = fallbacks, gateway, clock);

    [Fact]
    public async Task A_spent_daily_limit_goes_to_the_next_slug_and_the_reply_says_which_answered()
    {
        var clock = new TestClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock).SetLimits(Primary, new FakeLimits { RequestsPerDay = 1 });
        using var test = WithFallbacks(gateway, clock, Second);
        Assert.Equal(Primary, (await test.Client.CompleteAsync(TestGateway.Ask("one"))).ModelSlug);
        ChatCompletion second = await test.Client.CompleteAsync(TestGateway.Ask("two"));
        Assert.Equal(Second, second.ModelSlug);
        Assert.NotNull(second.Message!.Reasoning); // the reasoning model answered
        // The spent limit is shared state now: the third call goes straight to the fallback, sending nothing to the first.
        int before = gateway.RequestCount;
        Assert.Equal(Second, (await test.Client.CompleteAsync(TestGateway.Ask("three"))).ModelSlug);
        Assert.Equal(before + 1, gateway.RequestCount);
    }

    [Theory]
    [InlineData("acme/unknown")] // 404
    [InlineData("fake/not-allowed")] // 403: the key may not call it
    public async Task A_slug_the_key_cannot_call_goes_to_the_next(string first)
    {
        var clock = new TestClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock).AddModel("fake/not-allowed");
        using var test = new TestGateway(o => o.ModelFallbacks[first] = [Primary], gateway, clock);
        ChatCompletion reply = await test.Client.CompleteAsync(TestGateway.Ask("x", first));
        Assert.Equal(Primary, reply.ModelSlug);
    }

    [Fact]
    public async Task Server_errors_after_the_retries_go_to_the_next_and_a_bad_key_does_not()
    {
        var clock = new TestClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock);
        using var test = WithFallbacks(gateway, clock, Second);
        for (int i = 0; i < 3; i++)
            gateway.Enqueue(FakeReply.Error(503, "down"));
        Assert.Equal(Second, (await test.Client.CompleteAsync(TestGateway.Ask("x"))).ModelSlug);
        Assert.Equal(4, gateway.RequestCount);

        using var badKey = new TestGateway(o => { o.ApiKey = "wrong"; o.ModelFallbacks[Primary] = [Second]; }, gateway, clock);
        await Assert.ThrowsAsync<GatewayAuthenticationException>(() => badKey.Client.CompleteAsync(TestGateway.Ask("x")));
        Assert.Equal(5, gateway.RequestCount);
    }

    [Fact]
    public async Task A_stream_falls_back_before_its_first_byte_and_says_which_slug_answered()
    {
        var clock = new TestClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock).SetLimits(Primary, new FakeLimits { RequestsPerDay = 1 });
        using var test = WithFallbacks(gateway, clock, Second);
        await test.Client.CompleteAsync(TestGateway.Ask("spend it"));
        ChatStream stream = test.Client.StreamAsync(TestGateway.Ask("stream"));
        ChatCompletion reply = await stream.ToCompletionAsync();
        Assert.Equal(Second, stream.ModelSlug);
        Assert.NotNull(reply.Content);
    }

    [Fact]
    public async Task Telemetry_follows_the_slug_that_answered_and_keeps_the_first()
    {
        var clock = new TestClock();
        FakeGateway gateway = FakeGateway.CreateDefault(clock);
        using var test = WithFallbacks(gateway, clock, Second);
        gateway.Enqueue(FakeReply.Error(404, "no such model", "not_found_error", "model_not_found"));
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == GatewayTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) spans.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        ChatRequest request = TestGateway.Ask("traced " + Guid.NewGuid().ToString("N"));
        await test.Client.CompleteAsync(request);
        Activity span;
        lock (spans)
            span = spans.Single(a => a.Events.Any(e => e.Name == "aotgateway.model_fallback"));
        Assert.Equal(Second, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(Primary, span.GetTagItem("aotgateway.request.model.first"));
    }

    [Fact]
    public void Fallbacks_must_be_slugs()
    {
        var options = new GatewayClientOptions { ApiKey = "k" };
        options.ModelFallbacks[Primary] = ["not a slug"];
        Assert.Contains("not a model slug", Assert.ThrowsAny<ArgumentException>(options.Validate).Message);
    }
}
