using System;

namespace AotGateway;

/// <summary>The gateway's model name rule: <c>org/model</c>, two non-empty parts without spaces.</summary>
internal static class ModelSlug
{
    public static bool IsValid(string? slug)
    {
        if (string.IsNullOrEmpty(slug) || slug.Length > 256)
            return false;
        int slash = slug.IndexOf('/');
        if (slash <= 0 || slash == slug.Length - 1 || slug.IndexOf('/', slash + 1) >= 0)
            return false;
        foreach (char c in slug)
        {
            if (c <= ' ' || c == 0x7F)
                return false;
        }
        return true;
    }

    /// <summary>Checks a slug before any request leaves the process.</summary>
    public static string Require(string? requested, string? fallback)
    {
        string? slug = requested ?? fallback;
        if (slug is null)
            throw new ArgumentException(
                "No model was given: set ChatRequest.Model or GatewayClientOptions.DefaultModel (BASETEN_MODEL) to a slug such as 'acme/llama-3-70b'.");
        if (!IsValid(slug))
            throw new ArgumentException(
                $"'{slug}' is not a model slug: the gateway expects 'org/model', for example 'acme/llama-3-70b'.");
        return slug;
    }
}
