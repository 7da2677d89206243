using System;
using System.Collections.Generic;
using System.Net;

namespace AotGateway;

/// <summary>Checks on where requests go and what they carry, made once when a client is created.</summary>
internal static class EndpointRules
{
    // Headers the client owns; letting ExtraHeaders set them would break auth or framing.
    private static readonly HashSet<string> s_reservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Content-Type", "Content-Length", "Host", "Transfer-Encoding", "Connection",
    };

    public static Uri ChatCompletionsUri(Uri baseUrl, bool allowInsecureHttp)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"The base URL '{baseUrl}' must be an absolute http(s) URL such as {GatewayClientOptions.DefaultBaseUrl}.", nameof(baseUrl));
        if (baseUrl.Scheme == Uri.UriSchemeHttp && !allowInsecureHttp && !IsLoopback(baseUrl))
            throw new ArgumentException(
                $"The base URL '{baseUrl}' uses plain http to a non-loopback host, which would send the API key unencrypted. Use https, or set AllowInsecureHttp if you really mean it.",
                nameof(baseUrl));
        if (!string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
            throw new ArgumentException($"The base URL '{baseUrl}' must not have a query or fragment.", nameof(baseUrl));
        string path = baseUrl.AbsolutePath.TrimEnd('/');
        return new Uri(baseUrl, path + "/chat/completions");
    }

    /// <summary>
    /// The provider name an endpoint implies: <c>baseten</c> on Baseten's hosts, otherwise the host itself (lower case),
    /// which says which server answered without claiming it is Baseten.
    /// </summary>
    public static string ProviderOf(Uri endpoint)
    {
        string host = endpoint.IdnHost.ToLowerInvariant();
        return host == "baseten.co" || host.EndsWith(".baseten.co", StringComparison.Ordinal) ? "baseten" : host;
    }

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out IPAddress? ip) && IPAddress.IsLoopback(ip));

    /// <summary>A header value must be visible ASCII: a CR or LF here would let a value inject headers.</summary>
    public static bool IsSafeHeaderValue(string value, bool allowSpaces)
    {
        foreach (char c in value)
        {
            if (c > '~' || c < ' ' || (!allowSpaces && c == ' '))
                return false;
        }
        return true;
    }

    public static string AuthorizationValue(string? apiKey)
    {
        if (string.IsNullOrWhiteSpace(apiKey))
            throw new ArgumentException("No API key was given: set BASETEN_API_KEY or GatewayClientOptions.ApiKey.", nameof(apiKey));
        if (!IsSafeHeaderValue(apiKey, allowSpaces: false))
            throw new ArgumentException(
                "The API key contains spaces, line breaks or other characters that cannot be sent in a header; check how it was loaded (a trailing newline is common). Set only the key, without 'Bearer' or 'Api-Key'.",
                nameof(apiKey));
        return "Api-Key " + apiKey;
    }

    public static void ValidateExtraHeaders(IDictionary<string, string> headers)
    {
        foreach (KeyValuePair<string, string> header in headers)
        {
            if (string.IsNullOrEmpty(header.Key) || !IsToken(header.Key))
                throw new ArgumentException($"'{header.Key}' is not a valid header name.", nameof(headers));
            if (s_reservedHeaders.Contains(header.Key))
                throw new ArgumentException($"The header '{header.Key}' is set by the client and cannot be overridden in ExtraHeaders.", nameof(headers));
            if (header.Value is null || !IsSafeHeaderValue(header.Value, allowSpaces: true))
                throw new ArgumentException($"The value of header '{header.Key}' contains a line break or a control character.", nameof(headers));
        }
    }

    private static bool IsToken(string name)
    {
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
                return false;
        }
        return true;
    }
}
