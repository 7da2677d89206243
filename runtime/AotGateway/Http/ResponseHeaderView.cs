using System;
using System.Collections.Generic;
using System.Net.Http.Headers;

namespace AotGateway;

/// <summary>
/// A reply's HTTP headers as users read them: names case-insensitive, repeated values joined with ", ", and every
/// value passed through the call's redactor (a server that echoes the key must not hand it to a log). Built on
/// first read from the headers HttpClient already parsed, so a caller who never asks pays nothing.
/// </summary>
internal sealed class ResponseHeaderView(HttpResponseHeaders headers, SecretRedactor redactor)
{
    /// <summary>What a reply not received over HTTP (built in code, or a captured stream) has: no headers.</summary>
    public static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    private IReadOnlyDictionary<string, string>? _values;

    public IReadOnlyDictionary<string, string> Values => _values ??= Build();

    private Dictionary<string, string> Build()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, HeaderStringValues> header in headers.NonValidated)
            values[header.Key] = redactor.Redact(string.Join(", ", header.Value)) ?? "";
        return values;
    }
}
