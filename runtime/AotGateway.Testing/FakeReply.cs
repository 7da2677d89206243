using System;
using System.Collections.Generic;
using System.Text;

namespace AotGateway.Testing;

/// <summary>
/// A reply the fake gateway sends: status, headers and a body made of parts (a streamed body has one part per
/// event, so adapters can deliver them separately), plus an optional fault.
/// </summary>
public sealed class FakeReply
{
    /// <summary>Creates a reply.</summary>
    public FakeReply(int status, string contentType, IReadOnlyList<ReadOnlyMemory<byte>> bodyParts, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        Status = status;
        ContentType = contentType;
        BodyParts = bodyParts;
        Headers = headers ?? [];
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The content type.</summary>
    public string ContentType { get; }

    /// <summary>The body, in delivery parts.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> BodyParts { get; }

    /// <summary>Extra response headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>A fault to inject while delivering this reply.</summary>
    public FakeFault Fault { get; init; } = FakeFault.None;

    /// <summary>The body's total length.</summary>
    public int BodyLength
    {
        get
        {
            int total = 0;
            foreach (ReadOnlyMemory<byte> part in BodyParts)
                total += part.Length;
            return total;
        }
    }

    /// <summary>The whole body as text.</summary>
    public string BodyText
    {
        get
        {
            var text = new StringBuilder();
            foreach (ReadOnlyMemory<byte> part in BodyParts)
                text.Append(Encoding.UTF8.GetString(part.Span));
            return text.ToString();
        }
    }

    /// <summary>A JSON reply.</summary>
    public static FakeReply Json(int status, string json, params KeyValuePair<string, string>[] headers) =>
        new(status, "application/json", [Encoding.UTF8.GetBytes(json)], headers);

    /// <summary>An error reply in the gateway's shape: <c>{"error":{"message","type","code"}}</c>.</summary>
    public static FakeReply Error(int status, string message, string? type = null, string? code = null, params KeyValuePair<string, string>[] headers) =>
        new(status, "application/json", [FakeJson.ErrorBody(message, type, code)], headers);

    /// <summary>A reply with any content type and text body (an HTML error page from a proxy, say).</summary>
    public static FakeReply Text(int status, string contentType, string body, params KeyValuePair<string, string>[] headers) =>
        new(status, contentType, [Encoding.UTF8.GetBytes(body)], headers);

    /// <summary>An event stream made of these raw parts, sent as they are (include the <c>data: </c> prefixes and blank lines).</summary>
    public static FakeReply EventStream(params string[] rawParts)
    {
        var parts = new ReadOnlyMemory<byte>[rawParts.Length];
        for (int i = 0; i < rawParts.Length; i++)
            parts[i] = Encoding.UTF8.GetBytes(rawParts[i]);
        return new FakeReply(200, "text/event-stream", parts);
    }
}
