using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace AotGateway.Bench.Concurrency;

/// <summary>
/// The server side of the concurrency bench, in its own process: Kestrel on 127.0.0.1 (port from the OS) with TLS
/// (a certificate made here, its SHA-256 printed for the clients to pin), HTTP/1.1 and HTTP/2 by ALPN, answering
/// every chat request with a streamed reply of realistic length and pace. It counts connections and TLS handshakes.
/// </summary>
public static class TlsChatServer
{
    public const int Chunks = 150;
    public static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(10);

    private static int s_connections;
    private static int s_handshakes;

    public static async Task<int> ServeAsync()
    {
        using X509Certificate2 certificate = AotGateway.Tests.Support.LoopbackCertificate.Create();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(next => async connection =>
                {
                    Interlocked.Increment(ref s_connections);
                    await next(connection);
                });
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    https.OnAuthenticate = (_, _) => Interlocked.Increment(ref s_handshakes);
                });
            });
        });
        await using WebApplication app = builder.Build();
        app.MapPost("/v1/chat/completions", StreamReplyAsync);
        app.MapGet("/stats", () => $"{Volatile.Read(ref s_connections)} {Volatile.Read(ref s_handshakes)}");
        await app.StartAsync();
        string address = app.Urls.First();
        Console.WriteLine($"{new Uri(address).Port} {AotGateway.Tests.Support.LoopbackCertificate.Hash(certificate)}");
        await Console.In.ReadToEndAsync(); // until the parent closes our standard input
        await app.StopAsync();
        return 0;
    }

    private static async Task StreamReplyAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        // Warm-up requests (the clients' JIT) get the same reply at once, on the connection they will reuse.
        bool warmup = body.GetBuffer().AsSpan(0, (int)body.Length).IndexOf("warmup"u8) >= 0;
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync(context.RequestAborted);
        using var timer = new PeriodicTimer(Pace);
        for (int i = 0; i < Chunks; i++)
        {
            if (!warmup)
                await timer.WaitForNextTickAsync(context.RequestAborted);
            await context.Response.Body.WriteAsync(Reply[i], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        await context.Response.Body.WriteAsync(Reply[Chunks], context.RequestAborted);
    }

    /// <summary>The reply's events: <see cref="Chunks"/> of text, then the finish and <c>[DONE]</c> together.</summary>
    public static readonly byte[][] Reply = MakeReply();

    private static byte[][] MakeReply()
    {
        var events = new byte[Chunks + 1][];
        for (int i = 0; i < Chunks; i++)
        {
            string content = i == 0 ? "Hello" : " token" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            events[i] = Encoding.UTF8.GetBytes(
                "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1770950834,\"model\":\"acme/llama-3-70b\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n");
        }
        events[Chunks] = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1770950834,\"model\":\"acme/llama-3-70b\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"u8.ToArray();
        return events;
    }
}
