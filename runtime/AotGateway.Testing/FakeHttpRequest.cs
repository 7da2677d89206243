using System;
using System.Collections.Generic;
using System.Text;

namespace AotGateway.Testing;

/// <summary>A request as the fake gateway saw it, whichever adapter carried it.</summary>
public sealed class FakeHttpRequest
{
    /// <summary>Creates a request.</summary>
    public FakeHttpRequest(string method, string path, IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> body)
    {
        Method = method;
        Path = path;
        Headers = headers;
        Body = body;
    }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The request path, e.g. <c>/v1/chat/completions</c>.</summary>
    public string Path { get; }

    /// <summary>The headers, case-insensitive; repeated headers are joined with commas.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body as text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body.Span);

    /// <summary>A header's value, or <see langword="null"/>.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
