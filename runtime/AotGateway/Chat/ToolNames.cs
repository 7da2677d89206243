using System;

namespace AotGateway;

/// <summary>The function-name rule of the Chat Completions API: <c>^[a-zA-Z0-9_-]{1,64}$</c>.</summary>
internal static class ToolNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
            return false;
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
                return false;
        }
        return true;
    }

    public static void ThrowIfInvalid(string? name)
    {
        if (!IsValid(name))
            throw new ArgumentException($"'{name}' is not a valid tool name: use 1 to {MaxLength} letters, digits, '_' or '-'.", nameof(name));
    }
}
