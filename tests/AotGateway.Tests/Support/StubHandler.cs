using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Tests.Support;

/// <summary>A handler that answers every request with what a test's function says: a response, or an exception.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return answer(request, cancellationToken);
    }

    public static GatewayClientOptions Options(HttpMessageHandler handler, Action<GatewayClientOptions>? configure = null)
    {
        var options = new GatewayClientOptions
        {
            BaseUrl = new Uri("https://gateway.test/v1"),
            ApiKey = TestGateway.Key,
            DefaultModel = "acme/model",
            Handler = handler,
            Retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.Zero },
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A response whose body is <paramref name="body"/>, with the given media type.</summary>
    public static HttpResponseMessage Response(HttpStatusCode status, Stream body, string mediaType = "application/json")
    {
        var content = new StreamContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        return new HttpResponseMessage(status) { Content = content };
    }
}

/// <summary>A body that sends <paramref name="prefix"/>, then waits until its read is cancelled (or fails as told).</summary>
internal sealed class StallingBody(byte[] prefix, Exception? failWith = null) : ReadOnlyTestStream
{
    private int _at;

    public bool Disposed { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_at < prefix.Length)
        {
            int count = Math.Min(buffer.Length, prefix.Length - _at);
            prefix.AsMemory(_at, count).CopyTo(buffer);
            _at += count;
            return count;
        }
        if (failWith is not null)
            throw failWith;
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
