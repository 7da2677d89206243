using System.Text;

namespace AotGateway.Generator.Emitting;

/// <summary>C# and JSON string literals.</summary>
internal static class Literals
{
    /// <summary>A C# regular string literal; non-ASCII is escaped so generated files stay plain ASCII.</summary>
    public static string CSharp(string value) => Quote(value, escapeNonAscii: true, "\"");

    /// <summary>A C# UTF-8 literal (<c>"..."u8</c>).</summary>
    public static string Utf8(string value) => Quote(value, escapeNonAscii: true, "\"u8");

    /// <summary>A JSON string; the escapes both languages share are the same, so one quoting routine serves both.</summary>
    public static string Json(string value) => Quote(value, escapeNonAscii: false, "\"");

    private static bool NeedsEscape(string value, bool escapeNonAscii)
    {
        foreach (char c in value)
        {
            if (c is '"' or '\\' || c < ' ' || (escapeNonAscii && c > '~'))
                return true;
        }
        return false;
    }

    /// <param name="closing">The closing quote and any suffix (<c>"u8</c>).</param>
    private static string Quote(string value, bool escapeNonAscii, string closing)
    {
        // Most names and descriptions need no escape: one string, not a builder per literal.
        if (!NeedsEscape(value, escapeNonAscii))
            return string.Concat("\"", value, closing);
        var text = new StringBuilder(value.Length + 4).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ' || (escapeNonAscii && c > '~'))
                        text.Append("\\u").Append(((int)c).ToString("x4"));
                    else
                        text.Append(c);
                    break;
            }
        }
        return text.Append(closing).ToString();
    }
}
