using System;

namespace AotGateway.Extensions.Mcp;

/// <summary>
/// MCP allows tool names that chat models do not (dots, slashes, up to 128 characters); OpenAI-compatible gateways
/// take <c>^[a-zA-Z0-9_-]{1,64}$</c>. Other characters become <c>_</c> and long names are cut; calls are mapped back
/// to the server's own name.
/// </summary>
internal static class ToolNames
{
    public const int MaxLength = 64;

    public static string ForModel(string name)
    {
        ReadOnlySpan<char> source = name.AsSpan(0, Math.Min(name.Length, MaxLength));
        Span<char> result = stackalloc char[source.Length];
        bool changed = source.Length != name.Length;
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            bool allowed = char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
            result[i] = allowed ? c : '_';
            changed |= !allowed;
        }
        return changed ? new string(result) : name;
    }
}
