using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Reliability;

/// <summary>
/// Every failure the fault suite can produce, over loopback sockets, with a server that echoes the key back:
/// the key appears in no message, inner exception, ToString() or exception data.
/// </summary>
public sealed class SecretTests
{
    private const string Key = "sk-agw-SECRET-7f3e9c1d";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static IEnumerable<FakeReply> Failures()
    {
        FakeReply ok = FakeReply.Json(200, """{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"answer"},"finish_reason":"stop"}]}""");
        FakeReply stream = FakeReply.EventStream("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"part\"}}]}\n\n", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"more\"}}]}\n\n");
        foreach (int status in new[] { 400, 401, 403, 404, 408, 409, 422, 429, 500, 503 })
            yield return FakeReply.Error(status, $"Key {Key} is not valid here", "error_" + Key, "code_" + Key);
        yield return FakeReply.Text(502, "text/html", $"<html><body>Bad gateway for Api-Key {Key}</body></html>");
        yield return FakeReply.Text(200, "text/html", $"<html>{Key}</html>");
        yield return FakeReply.EventStream($"data: {{\"error\":{{\"message\":\"stream failed for {Key}\"}}}}\n\n");
        yield return FakeReply.EventStream($"event: error\ndata: boom {Key}\n\n");
        yield return new FakeReply(ok.Status, ok.ContentType, ok.BodyParts) { Fault = new FakeFault(FakeFaultKind.ResetBeforeHeaders) };
        yield return new FakeReply(ok.Status, ok.ContentType, ok.BodyParts) { Fault = new FakeFault(FakeFaultKind.ResetAfterBodyBytes, 10) };
        yield return new FakeReply(ok.Status, ok.ContentType, ok.BodyParts) { Fault = new FakeFault(FakeFaultKind.TruncateAfterBodyBytes, 10) };
        yield return new FakeReply(ok.Status, ok.ContentType, ok.BodyParts) { Fault = new FakeFault(FakeFaultKind.StallBeforeHeaders) };
        yield return new FakeReply(stream.Status, stream.ContentType, stream.BodyParts) { Fault = new FakeFault(FakeFaultKind.ResetAfterBodyBytes, 30) };
        yield return new FakeReply(stream.Status, stream.ContentType, stream.BodyParts) { Fault = new FakeFault(FakeFaultKind.StallAfterBodyBytes, 30) };
        yield return stream; // ends without [DONE]: cut off
    }

    private static void AssertKeyAbsent(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            Assert.DoesNotContain(Key, e.ToString());
            Assert.DoesNotContain(Key, e.Message);
            foreach (DictionaryEntry entry in e.Data)
                Assert.DoesNotContain(Key, $"{entry.Key}={entry.Value}");
        }
    }

    [Fact]
    public async Task No_failure_of_the_fault_suite_carries_the_key()
    {
        FakeGateway gateway = FakeGateway.CreateDefault().AddKey(Key, FakeGateway.DefaultModel);
        await using LoopbackGatewayServer server = LoopbackGatewayServer.Start(gateway);
        var options = new GatewayClientOptions
        {
            BaseUrl = server.BaseUrl,
            ApiKey = Key,
            DefaultModel = FakeGateway.DefaultModel,
            RequestTimeout = TimeSpan.FromMilliseconds(500),
            StreamIdleTimeout = TimeSpan.FromMilliseconds(500),
            Retry = new RetryPolicy { MaxRetries = 0 },
        };
        using var client = new GatewayClient(options);
        Assert.DoesNotContain(Key, client.ToString());
        Assert.DoesNotContain(Key, options.ToString());

        int failures = 0;
        foreach (bool streamed in new[] { false, true })
        {
            foreach (FakeReply reply in Failures())
            {
                gateway.Enqueue(reply);
                try
                {
                    if (streamed)
                        await client.StreamAsync(TestGateway.Ask("x")).ToCompletionAsync().WaitAsync(Deadline);
                    else
                        await client.CompleteAsync(TestGateway.Ask("x")).WaitAsync(Deadline);
                }
                catch (GatewayException ex)
                {
                    failures++;
                    AssertKeyAbsent(ex);
                }
            }
        }
        // Nearly every scripted reply is a failure either way (a plain HTML 200 or a stream read as JSON, say).
        Assert.True(failures >= 2 * 18, $"only {failures} failures were produced");
    }
}
