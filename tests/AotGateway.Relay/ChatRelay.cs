using System.Buffers;
using System.Text.Json;

namespace AotGateway.Relay;

/// <summary>
/// POST /chat: the prompt goes to the gateway, the text comes back to the caller as server-sent events, each
/// <c>data: {"text":"..."}</c> written from the UTF-8 span the client hands out (no string per token). A caller
/// that goes away cancels the gateway request (<see cref="HttpContext.RequestAborted"/>), so the model stops and
/// nobody pays for tokens no one reads. A gateway error becomes an <c>error</c> event with the library's message,
/// which never holds the key.
/// </summary>
internal static class ChatRelay
{
    private const int MaxPromptBytes = 16 * 1024;

    public static async Task RelayAsync(HttpContext context, GatewayClient client)
    {
        CancellationToken aborted = context.RequestAborted;
        ChatInput? input = await ReadInputAsync(context.Request, aborted);
        if (input is null || string.IsNullOrWhiteSpace(input.Prompt))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Send {\"prompt\":\"...\"} of at most 16 KB.", aborted);
            return;
        }

        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // proxies must not hold events back
        await response.StartAsync(aborted);

        var request = new ChatRequest([ChatMessage.User(input.Prompt)]);
        IBufferWriter<byte> body = response.BodyWriter;
        using var json = new Utf8JsonWriter(body);
        try
        {
            // Updates already read from the gateway share one write: flush only when the next must be waited for.
            await using IAsyncEnumerator<ChatUpdate> updates = client.StreamAsync(request, aborted).GetAsyncEnumerator(aborted);
            bool unflushed = false;
            ValueTask<bool> next = updates.MoveNextAsync();
            while (await next)
            {
                ReadOnlySpan<byte> text = updates.Current.ContentUtf8;
                if (!text.IsEmpty)
                {
                    WriteEvent(body, json, "text"u8, text, null);
                    unflushed = true;
                }
                next = updates.MoveNextAsync(); // the update's text is not read past this point
                if (!unflushed || next.IsCompleted)
                    continue;
                unflushed = false;
                System.IO.Pipelines.FlushResult flushed = await response.BodyWriter.FlushAsync(aborted);
                if (flushed.IsCompleted || flushed.IsCanceled)
                    return; // the caller is gone: leaving the loop disposes the stream and cancels the gateway request
            }
            body.Write("event: done\ndata: {}\n\n"u8);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return; // the caller left; the gateway request is already cancelled
        }
        catch (GatewayException ex)
        {
            // The library's messages are written for people and carry no key (its redactor removes any echo).
            WriteEvent(body, json, "message"u8, default, ex.Message, "error"u8);
        }
        await response.BodyWriter.FlushAsync(CancellationToken.None);
    }

    private static void WriteEvent(IBufferWriter<byte> body, Utf8JsonWriter json, ReadOnlySpan<byte> name, ReadOnlySpan<byte> utf8, string? text, ReadOnlySpan<byte> eventType = default)
    {
        if (!eventType.IsEmpty)
        {
            body.Write("event: "u8);
            body.Write(eventType);
            body.Write("\n"u8);
        }
        body.Write("data: "u8);
        json.Reset(body);
        json.WriteStartObject();
        if (text is null)
            json.WriteString(name, utf8);
        else
            json.WriteString(name, text);
        json.WriteEndObject();
        json.Flush();
        body.Write("\n\n"u8);
    }

    private static async Task<ChatInput?> ReadInputAsync(HttpRequest request, CancellationToken aborted)
    {
        if (request.ContentLength > MaxPromptBytes)
            return null;
        using var buffer = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, aborted)) > 0)
            {
                if (buffer.Length + read > MaxPromptBytes)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        try
        {
            return GatewayJson.Deserialize<ChatInput>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
