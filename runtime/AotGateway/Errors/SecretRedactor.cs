using System;
using System.Net;
using System.Text;

namespace AotGateway;

/// <summary>
/// The one place text from outside (response headers, bodies, error events, URLs, inner exception messages)
/// is cleaned of the API key before it reaches an exception, a request id, telemetry or a log. It removes the
/// key, its URL-encoded forms, and any run of <see cref="FragmentLength"/> or more characters of them, so a
/// key cut by a truncation or split by a server's formatting leaves nothing that matters behind.
/// </summary>
internal sealed class SecretRedactor
{
    /// <summary>What stands where a secret was.</summary>
    public const string Marker = "[redacted]";

    /// <summary>The shortest run of a key's characters that is removed wherever it appears.</summary>
    public const int FragmentLength = 8;

    /// <summary>Keys shorter than this are not looked for: they would match ordinary words, and no gateway issues them.</summary>
    private const int MinKeyLength = 4;

    /// <summary>A redactor that knows no secret and returns text unchanged.</summary>
    public static readonly SecretRedactor None = new(null);

    private readonly string[] _forms;

    public SecretRedactor(string? key)
    {
        if (key is null || key.Length < MinKeyLength)
        {
            _forms = [];
            return;
        }
        string escaped = Uri.EscapeDataString(key);
        string formEncoded = WebUtility.UrlEncode(key);
        int count = 1 + (escaped != key ? 1 : 0) + (formEncoded != key && formEncoded != escaped ? 1 : 0);
        _forms = new string[count];
        int next = 0;
        _forms[next++] = key;
        if (escaped != key)
            _forms[next++] = escaped;
        if (formEncoded != key && formEncoded != escaped)
            _forms[next] = formEncoded;
    }

    /// <summary>True when this redactor has a secret to look for.</summary>
    public bool HasSecret => _forms.Length > 0;

    /// <summary>Returns <paramref name="text"/> with every form and fragment of the key replaced by <see cref="Marker"/>.</summary>
    public string? Redact(string? text)
    {
        if (text is null || _forms.Length == 0)
            return text;
        bool[]? hidden = null;
        foreach (string form in _forms)
            MarkFragments(text, form, ref hidden);
        if (hidden is null)
            return text;

        var result = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            if (!hidden[i])
            {
                result.Append(text[i]);
                i++;
                continue;
            }
            result.Append(Marker);
            while (i < text.Length && hidden[i])
                i++;
        }
        return result.ToString();
    }

    /// <summary>
    /// Decodes UTF-8 text from outside, redacts it, and only then shortens it to <paramref name="maxChars"/>
    /// (with an ellipsis), so a cut can never leave most of a key behind.
    /// </summary>
    public string RedactUtf8(ReadOnlySpan<byte> utf8, int maxChars)
    {
        // Decode a little more than is kept: enough that a key straddling the cut is seen whole.
        int longestForm = 0;
        foreach (string form in _forms)
            longestForm = Math.Max(longestForm, form.Length);
        int decodeBytes = (int)Math.Min(utf8.Length, ((long)maxChars + longestForm) * 4);
        string text = Redact(Encoding.UTF8.GetString(utf8[..decodeBytes]).Trim())!;
        bool cut = text.Length > maxChars || decodeBytes < utf8.Length;
        if (text.Length > maxChars)
            text = text[..maxChars];
        // A cut inside a marker could leave a fragment of the marker, never of the key; redact again for a key
        // whose fragment only now ends at the text's edge.
        text = Redact(text)!;
        return cut ? text + "…" : text;
    }

    /// <summary>
    /// An inner exception safe to keep: the same one when no text of its chain holds a fragment of the key,
    /// otherwise a stand-in that keeps the chain's type names and redacted messages but not the originals.
    /// </summary>
    public Exception? Inner(Exception? inner)
    {
        if (inner is null || _forms.Length == 0)
            return inner;
        string all = inner.ToString();
        if (ReferenceEquals(Redact(all), all))
            return inner;
        return new RedactedException(inner.GetType().FullName ?? inner.GetType().Name, Redact(inner.Message)!, Inner(inner.InnerException));
    }

    private static void MarkFragments(string text, string form, ref bool[]? hidden)
    {
        int length = Math.Min(FragmentLength, form.Length);
        ReadOnlySpan<char> secret = form;
        for (int i = 0; i + length <= text.Length; i++)
        {
            if (secret.IndexOf(text.AsSpan(i, length), StringComparison.Ordinal) < 0)
                continue;
            hidden ??= new bool[text.Length];
            hidden.AsSpan(i, length).Fill(true);
        }
    }

    /// <summary>Stands in for an exception whose text held the key; its message says what it was.</summary>
    private sealed class RedactedException(string typeName, string message, Exception? inner)
        : Exception($"{typeName}: {message}", inner);
}
