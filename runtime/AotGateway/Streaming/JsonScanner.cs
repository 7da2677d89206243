using System;
using System.Diagnostics;
using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace AotGateway;

/// <summary>
/// A forward-only scanner over one JSON text that checks the grammar (RFC 8259) as strictly as
/// <see cref="System.Text.Json.Utf8JsonReader"/> does but builds no tokens: strings are found with one
/// vectorised search, skipped values are walked without being reported. Every method answers
/// <see langword="false"/> at the first byte it does not accept, and the caller then hands the whole text to
/// the full reader, which either reads it or says precisely what is wrong. So the scanner may refuse
/// more than the grammar forbids (escaped property names, nesting past <see cref="MaxDepth"/>), never less.
/// </summary>
internal ref struct JsonScanner
{
    /// <summary>Deeper nesting is left to the full reader, which enforces the configured limit.</summary>
    public const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _json;
    private int _pos;

    public JsonScanner(ReadOnlySpan<byte> json, int position = 0)
    {
        Debug.Assert((uint)position <= (uint)json.Length, "The scanner starts inside the text.");
        _json = json;
        _pos = position;
    }

    /// <summary>The offset of the next byte to scan.</summary>
    public readonly int Position => _pos;

    /// <summary>Whether only whitespace is left.</summary>
    public bool AtEnd
    {
        get
        {
            SkipWhitespace();
            return _pos == _json.Length;
        }
    }

    /// <summary>Consumes <paramref name="token"/> after optional whitespace, if it is next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryConsume(byte token)
    {
        SkipWhitespace();
        if (_pos < _json.Length && _json[_pos] == token)
        {
            _pos++;
            return true;
        }
        return false;
    }

    /// <summary>The next byte after optional whitespace, without consuming it; 0 at the end.</summary>
    public byte Peek()
    {
        SkipWhitespace();
        return _pos < _json.Length ? _json[_pos] : (byte)0;
    }

    /// <summary>
    /// Reads a property name and its colon. Names with escapes are refused: the full reader compares them
    /// unescaped, and real servers never escape the names a chunk uses.
    /// </summary>
    public bool TryReadPropertyName(out ReadOnlySpan<byte> name)
    {
        name = default;
        if (Peek() != (byte)'"' || !TryReadString(out int start, out int length, out bool escaped) || escaped)
            return false;
        name = _json.Slice(start, length);
        return TryConsume((byte)':');
    }

    /// <summary>
    /// Reads a string value at the current position; <paramref name="start"/> and <paramref name="length"/>
    /// locate its raw (possibly escaped) text between the quotes.
    /// </summary>
    public bool TryReadString(out int start, out int length, out bool escaped)
    {
        SkipWhitespace();
        start = 0;
        length = 0;
        escaped = false;
        if (_pos >= _json.Length || _json[_pos] != (byte)'"')
            return false;
        ReadOnlySpan<byte> json = _json;
        int i = _pos;
        if (!TryScanString(json, ref i, out escaped))
            return false;
        start = _pos + 1;
        length = i - 1 - start;
        _pos = i;
        // Callers (the template, the scratch) rely on a string's text lying between two quotes of the payload.
        Debug.Assert(json[start - 1] == (byte)'"' && json[start + length] == (byte)'"');
        return true;
    }

    /// <summary>Reads a number that is a whole value in range of <see cref="long"/>, or <c>null</c>.</summary>
    public bool TryReadInt64OrNull(out long? value)
    {
        value = null;
        if (TryReadLiteral("null"u8))
            return true;
        if (!TryReadNumber(out ReadOnlySpan<byte> number))
            return false;
        // Fractions and exponents are left to the full reader, which knows how servers write them.
        if (!Utf8Parser.TryParse(number, out long parsed, out int consumed) || consumed != number.Length)
            return false;
        value = parsed;
        return true;
    }

    /// <summary>Skips one value of any kind, checking its grammar.</summary>
    public bool TrySkipValue() => TrySkipOneValue();

    /// <summary>Skips one value and reports where it lay (for values copied or re-read as raw JSON).</summary>
    public bool TrySkipValue(out int start, out int end)
    {
        SkipWhitespace();
        start = _pos;
        bool ok = TrySkipOneValue();
        end = _pos;
        return ok;
    }

    /// <summary>Consumes <c>null</c> if it is the next value.</summary>
    public bool TryReadNull() => TryReadLiteral("null"u8);

    /// <summary>
    /// Skips one value of any kind in a single loop: the open containers are bits of one word (set: an object), so a
    /// raw object such as a chunk's <c>logprobs</c> costs a pass over its bytes, not a call per token.
    /// </summary>
    private bool TrySkipOneValue()
    {
        ReadOnlySpan<byte> json = _json;
        int i = _pos;
        int depth = 0;
        uint objects = 0; // bit d: the container opened at depth d is an object (MaxDepth fits a uint)
        while (true)
        {
            // A value starts at i (after whitespace).
            i = SkipWhitespace(json, i);
            if (i >= json.Length)
                return false;
            byte b = json[i];
            if (b is (byte)'{' or (byte)'[')
            {
                if (depth >= MaxDepth)
                    return false;
                i = SkipWhitespace(json, i + 1);
                if (i >= json.Length)
                    return false;
                if (b == (byte)'{')
                {
                    if (json[i] == (byte)'}')
                    {
                        i++;
                        goto AfterValue;
                    }
                    objects |= 1u << depth;
                    depth++;
                    if (!TrySkipKey(json, ref i))
                        return false;
                }
                else
                {
                    if (json[i] == (byte)']')
                    {
                        i++;
                        goto AfterValue;
                    }
                    objects &= ~(1u << depth);
                    depth++;
                }
                continue;
            }
            if (b == (byte)'"')
            {
                if (!TryScanString(json, ref i, out _))
                    return false;
            }
            else if (b is (byte)'t' or (byte)'f' or (byte)'n')
            {
                ReadOnlySpan<byte> literal = b == (byte)'t' ? "true"u8 : b == (byte)'f' ? "false"u8 : "null"u8;
                if (!json.Slice(i).StartsWith(literal))
                    return false;
                i += literal.Length;
            }
            else if (!TrySkipNumber(json, ref i))
            {
                return false;
            }

        AfterValue:
            while (true)
            {
                if (depth == 0)
                {
                    _pos = i;
                    return true;
                }
                i = SkipWhitespace(json, i);
                if (i >= json.Length)
                    return false;
                bool inObject = (objects & (1u << (depth - 1))) != 0;
                byte next = json[i];
                if (next == (byte)',')
                {
                    i++;
                    if (inObject && !TrySkipKey(json, ref i))
                        return false;
                    break; // the next value
                }
                if (next != (inObject ? (byte)'}' : (byte)']'))
                    return false;
                i++;
                depth--;
            }
        }
    }

    /// <summary>A property name and its colon, from <paramref name="i"/> (whitespace allowed around both).</summary>
    private static bool TrySkipKey(ReadOnlySpan<byte> json, ref int i)
    {
        i = SkipWhitespace(json, i);
        if (i >= json.Length || json[i] != (byte)'"' || !TryScanString(json, ref i, out _))
            return false;
        i = SkipWhitespace(json, i);
        if (i >= json.Length || json[i] != (byte)':')
            return false;
        i++;
        return true;
    }

    // RFC 8259 §6, as TryReadNumber reads it, without building the span: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    private static bool TrySkipNumber(ReadOnlySpan<byte> json, ref int i)
    {
        int p = i;
        if ((uint)p < (uint)json.Length && json[p] == (byte)'-')
            p++;
        if ((uint)p >= (uint)json.Length)
            return false;
        if (json[p] == (byte)'0')
            p++;
        else if (!SkipDigits(json, ref p))
            return false;
        if ((uint)p < (uint)json.Length && json[p] == (byte)'.')
        {
            p++;
            if (!SkipDigits(json, ref p))
                return false;
        }
        if ((uint)p < (uint)json.Length && (json[p] | 0x20) == (byte)'e')
        {
            p++;
            if ((uint)p < (uint)json.Length && json[p] is (byte)'+' or (byte)'-')
                p++;
            if (!SkipDigits(json, ref p))
                return false;
        }
        i = p;
        return true;
    }

    private static bool SkipDigits(ReadOnlySpan<byte> json, ref int p)
    {
        int first = p;
        while ((uint)p < (uint)json.Length && (uint)(json[p] - '0') <= 9)
            p++;
        return p > first;
    }

    /// <summary>
    /// A string from its opening quote at <paramref name="i"/> to past its closing one, escapes and control characters
    /// checked (RFC 8259 §7); <paramref name="escaped"/> says whether it held an escape.
    /// </summary>
    private static bool TryScanString(ReadOnlySpan<byte> json, ref int i, out bool escaped)
    {
        escaped = false;
        i++;
        // Most strings in a chunk are short (tokens, names, ids): walk a few bytes before a vectorised search.
        int shortEnd = Math.Min(json.Length, i + 16);
        while (i < shortEnd)
        {
            byte c = json[i];
            if (c == (byte)'"')
            {
                i++;
                return true;
            }
            if (c == (byte)'\\' || c < 0x20)
                break;
            i++;
        }
        while (true)
        {
            int stop = json.Slice(i).IndexOfAny(s_stringStops);
            if (stop < 0)
                return false;
            i += stop;
            byte b = json[i];
            if (b == (byte)'"')
            {
                i++;
                return true;
            }
            if (b != (byte)'\\' || !TrySkipEscape(json, ref i))
                return false;
            escaped = true;
        }
    }

    // What ends a run of plain string bytes: the closing quote, an escape, or a control character (never allowed raw).
    private static readonly SearchValues<byte> s_stringStops = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"u8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        while ((uint)i < (uint)json.Length && json[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            i++;
        return i;
    }

    private bool TryReadLiteral(ReadOnlySpan<byte> literal)
    {
        SkipWhitespace();
        if (!_json.Slice(_pos).StartsWith(literal))
            return false;
        _pos += literal.Length;
        return true;
    }

    private bool TryReadNumber(out ReadOnlySpan<byte> number)
    {
        SkipWhitespace();
        int i = _pos;
        if (!TrySkipNumber(_json, ref i))
        {
            number = default;
            return false;
        }
        number = _json[_pos..i];
        _pos = i;
        return true;
    }


    // RFC 8259 §7: \" \\ \/ \b \f \n \r \t, or \u and four hex digits.
    private static bool TrySkipEscape(ReadOnlySpan<byte> json, ref int i)
    {
        if (i + 1 >= json.Length)
            return false;
        switch (json[i + 1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                i += 2;
                return true;
            case (byte)'u':
                if (i + 6 > json.Length)
                    return false;
                for (int k = i + 2; k < i + 6; k++)
                {
                    if (!char.IsAsciiHexDigit((char)json[k]))
                        return false;
                }
                i += 6;
                return true;
            default:
                return false;
        }
    }

    // RFC 8259 §2: whitespace is space, tab, LF and CR. Servers rarely send any between tokens.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SkipWhitespace()
    {
        if ((uint)_pos < (uint)_json.Length && _json[_pos] > (byte)' ')
            return;
        SkipWhitespaceSlow();
    }

    private void SkipWhitespaceSlow()
    {
        while (_pos < _json.Length)
        {
            byte b = _json[_pos];
            if (b != (byte)' ' && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t')
                return;
            _pos++;
        }
    }
}
