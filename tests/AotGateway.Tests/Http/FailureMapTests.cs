using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Http;

/// <summary>
/// One failure, one type, whatever the phase found it (sending, reading a body, reading a stream) and whoever raised
/// it (the socket, the framework, a handler in the pipeline): typed, with the right limit and status, the inner
/// exception kept, nothing leaked, and retried only where the map says so.
/// </summary>
[Trait("Category", "Core")]
public class FailureMapTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>What a resilience handler raises when its own timeout or circuit breaker refuses a call.</summary>
    private sealed class PipelineRefusedException(string message) : Exception(message);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task A_handlers_own_exception_is_a_connection_error_with_it_inside_and_is_not_retried()
    {
        var handler = new StubHandler((_, _) => throw new PipelineRefusedException("The circuit is now open."));
        using var client = new GatewayClient(StubHandler.Options(handler));
        var error = await Assert.ThrowsAsync<GatewayConnectionException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        Assert.IsType<PipelineRefusedException>(error.InnerException);
        Assert.Contains("PipelineRefusedException", error.Message);
        Assert.Equal(1, handler.Requests);

        var streamed = await Assert.ThrowsAsync<GatewayConnectionException>(() => client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync());
        Assert.IsType<PipelineRefusedException>(streamed.InnerException);
        Assert.Equal(2, handler.Requests);
    }

    [Fact]
    public async Task A_disposed_HttpClient_given_in_the_options_fails_typed()
    {
        var http = new HttpClient(new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK))));
        http.Dispose();
        using var client = new GatewayClient(StubHandler.Options(new StubHandler((_, _) => throw new InvalidOperationException("unused")), o => { o.Handler = null; o.HttpClient = http; }));
        var error = await Assert.ThrowsAsync<GatewayConnectionException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        Assert.IsType<ObjectDisposedException>(error.InnerException);
    }

    [Fact]
    public async Task An_error_body_that_fails_to_read_keeps_the_status_and_the_response_is_disposed()
    {
        StallingBody? body = null;
        var handler = new StubHandler((_, _) =>
        {
            body = new StallingBody(Utf8("{\"error\":"), failWith: new PipelineRefusedException("torn"));
            return Task.FromResult(StubHandler.Response(HttpStatusCode.BadGateway, body));
        });
        using var client = new GatewayClient(StubHandler.Options(handler, o => o.Retry = RetryPolicy.None));
        var error = await Assert.ThrowsAsync<GatewayServerException>(() => client.CompleteAsync(TestGateway.Ask("x")));
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("could not be read", error.Message);
        Assert.True(body!.Disposed);
    }

    [Fact]
    public async Task A_5xx_whose_error_body_stalls_keeps_its_status_and_is_retried_as_a_5xx()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(StubHandler.Response(HttpStatusCode.ServiceUnavailable, new StallingBody(Utf8("{\"err")))));
        using var client = new GatewayClient(StubHandler.Options(handler, o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(300);
            o.Retry = new RetryPolicy { MaxRetries = 1, InitialDelay = TimeSpan.Zero };
        }));
        var error = await Assert.ThrowsAsync<GatewayServerException>(() => client.CompleteAsync(TestGateway.Ask("x")).WaitAsync(Deadline));
        Assert.Equal(503, error.StatusCode);
        Assert.Contains("did not arrive within GatewayClientOptions.RequestTimeout (0.3 s)", error.Message);
        Assert.Equal(2, handler.Requests);
    }

    [Fact]
    public async Task A_body_that_stalls_after_its_headers_times_out_naming_its_limit_and_status()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(StubHandler.Response(HttpStatusCode.OK, new StallingBody(Utf8("{\"id\":")))));
        using var client = new GatewayClient(StubHandler.Options(handler, o => o.RequestTimeout = TimeSpan.FromMilliseconds(300)));
        var error = await Assert.ThrowsAsync<GatewayTimeoutException>(() => client.CompleteAsync(TestGateway.Ask("x")).WaitAsync(Deadline));
        Assert.Equal(TimeSpan.FromMilliseconds(300), error.Timeout);
        Assert.Equal(200, error.StatusCode);
        Assert.Contains("RequestTimeout", error.Message);
        Assert.Equal(1, handler.Requests);
    }

    [Fact]
    public async Task The_same_broken_connection_is_retried_before_a_response_and_typed_by_phase_after()
    {
        var refused = new StubHandler((_, _) => throw new HttpRequestException("Connection refused", new IOException("refused")));
        using (var client = new GatewayClient(StubHandler.Options(refused)))
        {
            var error = await Assert.ThrowsAsync<GatewayConnectionException>(() => client.CompleteAsync(TestGateway.Ask("x")));
            Assert.Null(error.StatusCode);
            Assert.Equal(3, refused.Requests); // the first attempt and both retries
        }

        var brokenBody = new StubHandler((_, _) => Task.FromResult(StubHandler.Response(HttpStatusCode.OK, new StallingBody(Utf8("{\"id\":"), new IOException("reset")))));
        using (var client = new GatewayClient(StubHandler.Options(brokenBody)))
        {
            var error = await Assert.ThrowsAsync<GatewayConnectionException>(() => client.CompleteAsync(TestGateway.Ask("x")));
            Assert.Equal(200, error.StatusCode);
            Assert.Contains("not retried", error.Message);
            Assert.Equal(1, brokenBody.Requests);
        }

        var brokenStream = new StubHandler((_, _) => Task.FromResult(StubHandler.Response(HttpStatusCode.OK,
            new StallingBody(Utf8("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"), new IOException("reset")), "text/event-stream")));
        using (var client = new GatewayClient(StubHandler.Options(brokenStream)))
        {
            var error = await Assert.ThrowsAsync<GatewayStreamException>(() => client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync());
            Assert.Equal(GatewayStreamFailure.ConnectionLost, error.Failure);
            Assert.IsType<IOException>(error.InnerException);
        }
    }

    [Fact]
    public async Task A_content_that_fails_to_open_its_stream_is_a_typed_stream_error()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new FailingContent() }));
        using var client = new GatewayClient(StubHandler.Options(handler));
        var error = await Assert.ThrowsAsync<GatewayStreamException>(() => client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync());
        Assert.Equal(GatewayStreamFailure.ConnectionLost, error.Failure);
        Assert.IsType<PipelineRefusedException>(error.InnerException);
    }

    [Fact]
    public async Task A_handler_exception_while_a_stream_is_read_is_typed_and_the_caller_cancelling_is_not()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(StubHandler.Response(HttpStatusCode.OK,
            new StallingBody(Utf8("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"), new PipelineRefusedException("gone")), "text/event-stream")));
        using var client = new GatewayClient(StubHandler.Options(handler));
        var error = await Assert.ThrowsAsync<GatewayStreamException>(() => client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync());
        Assert.IsType<PipelineRefusedException>(error.InnerException);

        var stalls = new StubHandler((_, _) => Task.FromResult(StubHandler.Response(HttpStatusCode.OK,
            new StallingBody(Utf8("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n")), "text/event-stream")));
        using var second = new GatewayClient(StubHandler.Options(stalls));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.StreamAsync(TestGateway.Ask("x"), cancel.Token).ToCompletionAsync().WaitAsync(Deadline));
    }

    private sealed class FailingContent : HttpContent
    {
        public FailingContent() => Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => throw new PipelineRefusedException("no body");

        protected override Task<Stream> CreateContentReadStreamAsync() => throw new PipelineRefusedException("no body");

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
