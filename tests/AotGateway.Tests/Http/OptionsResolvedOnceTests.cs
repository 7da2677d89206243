using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using AotGateway.Tests.Tools;
using AotGateway.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace AotGateway.Tests.Http;

/// <summary>
/// Options are checked and frozen once; one stream budget reaches every accumulator the library makes; one clock
/// drives every deadline, so a test can move it by hand.
/// </summary>
[Trait("Category", "Core")]
public class OptionsResolvedOnceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Changing_the_options_after_the_client_was_made_changes_nothing()
    {
        var seen = new List<HttpRequestMessage>();
        var handler = new StubHandler((request, _) =>
        {
            seen.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{}") });
        });
        GatewayClientOptions options = StubHandler.Options(handler, o => o.Retry = RetryPolicy.None);
        using var client = new GatewayClient(options);
        options.ExtraHeaders["X-Late"] = "1";
        options.Retry.MaxRetries = 5;
        options.DefaultModel = "acme/other";
        await Assert.ThrowsAsync<GatewayServerException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        HttpRequestMessage only = Assert.Single(seen);
        Assert.False(only.Headers.Contains("X-Late"));
        Assert.Equal("acme/model", client.DefaultModel);
    }

    [Theory]
    [InlineData("url")]
    [InlineData("key")]
    [InlineData("slug")]
    [InlineData("header")]
    [InlineData("idle")]
    [InlineData("limit")]
    [InlineData("retry")]
    public void Validate_refuses_what_the_client_refuses_with_the_same_message(string what)
    {
        GatewayClientOptions options = StubHandler.Options(new StubHandler((_, _) => throw new InvalidOperationException()));
        switch (what)
        {
            case "url": options.BaseUrl = new Uri("http://gateway.example/v1"); break;
            case "key": options.ApiKey = "key with spaces"; break;
            case "slug": options.DefaultModel = "no-slash"; break;
            case "header": options.ExtraHeaders["Authorization"] = "x"; break;
            case "idle": options.StreamIdleTimeout = TimeSpan.Zero; break;
            case "limit": options.MaxStreamedBytes = 10; break;
            case "retry": options.Retry = new RetryPolicy { MaxRetries = -1 }; break;
        }
        var fromValidate = Assert.ThrowsAny<ArgumentException>(options.Validate);
        var fromClient = Assert.ThrowsAny<ArgumentException>(() => new GatewayClient(options));
        Assert.Equal(fromClient.Message, fromValidate.Message);
    }

    [Fact]
    public void A_clone_is_independent_of_its_source()
    {
        GatewayClientOptions source = StubHandler.Options(new StubHandler((_, _) => throw new InvalidOperationException()));
        source.ExtraHeaders["X-Team"] = "blue";
        GatewayClientOptions copy = source.Clone();
        copy.ExtraHeaders["X-Team"] = "red";
        copy.Retry.MaxRetries = 7;
        Assert.Equal("blue", source.ExtraHeaders["X-Team"]);
        Assert.Equal(2, source.Retry.MaxRetries);
        Assert.Same(source.Handler, copy.Handler);
    }

    /// <summary>A stream of <paramref name="megabytes"/> MiB of text in 64 KiB pieces, then DONE.</summary>
    private static HttpResponseMessage LargeStream(int megabytes)
    {
        var body = new MemoryStream();
        string piece = new('x', 64 * 1024);
        byte[] chunk = Utf8("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"}}]}\n\n");
        for (int i = 0; i < megabytes * 16; i++)
            body.Write(chunk);
        body.Write(Utf8("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
        body.Position = 0;
        return StubHandler.Response(HttpStatusCode.OK, body, "text/event-stream");
    }

    [Fact]
    public async Task MaxStreamedBytes_bounds_every_accumulator_the_library_makes_not_a_default()
    {
        // 20 MiB against a 64 MiB budget: more than the 16 MiB an accumulator defaults to.
        var handler = new StubHandler((_, _) => Task.FromResult(LargeStream(20)));
        using var client = new GatewayClient(StubHandler.Options(handler, o => o.MaxStreamedBytes = 64 * 1024 * 1024));

        long text = 0;
        await foreach (ChatUpdate update in client.StreamToolsAsync(TestGateway.Ask("x"), MoreTools.ToolSet).WithCancellation(new CancellationTokenSource(Deadline).Token))
            text += update.ContentUtf8.Length;
        Assert.Equal(20L * 1024 * 1024, text);

        long aiText = 0;
        await foreach (ChatResponseUpdate update in client.AsIChatClient().GetStreamingResponseAsync("x"))
            aiText += update.Text.Length;
        Assert.Equal(20L * 1024 * 1024, aiText);

        ChatStream stream = client.StreamAsync(TestGateway.Ask("x"));
        using ChatCompletionAccumulator accumulator = stream.CreateAccumulator();
        Assert.Equal(64 * 1024 * 1024, accumulator.MaxBytes);
        await foreach (ChatUpdate update in stream)
            accumulator.Add(update);
        Assert.Equal(20 * 1024 * 1024, accumulator.ToCompletion().Content!.Length);
    }

    [Fact]
    public async Task A_fake_clock_drives_CallTimeout()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new StubHandler(async (_, token) =>
        {
            sent.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        });
        using var client = new GatewayClient(StubHandler.Options(handler, o =>
        {
            o.TimeProvider = clock;
            o.CallTimeout = TimeSpan.FromMinutes(3);
        }));
        Task<ChatCompletion> call = client.CompleteAsync(TestGateway.Ask("x"));
        await sent.Task.WaitAsync(Deadline);
        Assert.False(call.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(3));
        var error = await Assert.ThrowsAsync<GatewayTimeoutException>(() => call.WaitAsync(Deadline));
        Assert.Equal(TimeSpan.FromMinutes(3), error.Timeout);
        Assert.Contains("CallTimeout", error.Message);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task A_fake_clock_drives_StreamIdleTimeout()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var body = new StallingBody(Utf8("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"));
        var handler = new StubHandler((_, _) => Task.FromResult(StubHandler.Response(HttpStatusCode.OK, body, "text/event-stream")));
        using var client = new GatewayClient(StubHandler.Options(handler, o =>
        {
            o.TimeProvider = clock;
            o.StreamIdleTimeout = TimeSpan.FromMinutes(2);
        }));
        await using IAsyncEnumerator<ChatUpdate> updates = client.StreamAsync(TestGateway.Ask("x")).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Deadline));
        Task<bool> next = updates.MoveNextAsync().AsTask();
        clock.Advance(TimeSpan.FromSeconds(119));
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<GatewayTimeoutException>(() => next.WaitAsync(Deadline));
        Assert.Equal(TimeSpan.FromMinutes(2), error.Timeout);
        Assert.Contains("StreamIdleTimeout", error.Message);
    }
}
