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
        int i = _pos + 1;
        while (true)
        {
            int stop = json.Slice(i).IndexOfAny((byte)'"', (byte)'\\');
            if (stop < 0)
                return false;
            // RFC 8259 §7: control characters must be escaped.
            if (json.Slice(i, stop).IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
                return false;
            i += stop;
            byte b = json[i];
            if (b == (byte)'"')
                break;
            if (b != (byte)'\\' || !TrySkipEscape(ref i))
                return false;
            escaped = true;
        }
        start = _pos + 1;
        length = i - start;
        _pos = i + 1;
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
    public bool TrySkipValue() => TrySkipValue(0);

    /// <summary>Skips one value and reports where it lay (for values copied or re-read as raw JSON).</summary>
    public bool TrySkipValue(out int start, out int end)
    {
        SkipWhitespace();
        start = _pos;
        bool ok = TrySkipValue(0);
        end = _pos;
        return ok;
    }

    /// <summary>Consumes <c>null</c> if it is the next value.</summary>
    public bool TryReadNull() => TryReadLiteral("null"u8);

    private bool TrySkipValue(int depth)
    {
        switch (Peek())
        {
            case (byte)'"':
                return TryReadString(out _, out _, out _);
            case (byte)'{':
                if (depth >= MaxDepth)
                    return false;
                _pos++;
                if (TryConsume((byte)'}'))
                    return true;
                do
                {
                    if (Peek() != (byte)'"' || !TryReadString(out _, out _, out _) || !TryConsume((byte)':') || !TrySkipValue(depth + 1))
                        return false;
                }
                while (TryConsume((byte)','));
                return TryConsume((byte)'}');
            case (byte)'[':
                if (depth >= MaxDepth)
                    return false;
                _pos++;
                if (TryConsume((byte)']'))
                    return true;
                do
                {
                    if (!TrySkipValue(depth + 1))
                        return false;
                }
                while (TryConsume((byte)','));
                return TryConsume((byte)']');
            case (byte)'t':
                return TryReadLiteral("true"u8);
            case (byte)'f':
                return TryReadLiteral("false"u8);
            case (byte)'n':
                return TryReadLiteral("null"u8);
            default:
                return TryReadNumber(out _);
        }
    }

    private bool TryReadLiteral(ReadOnlySpan<byte> literal)
    {
        SkipWhitespace();
        if (!_json.Slice(_pos).StartsWith(literal))
            return false;
        _pos += literal.Length;
        return true;
    }

    // RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    private bool TryReadNumber(out ReadOnlySpan<byte> number)
    {
        SkipWhitespace();
        number = default;
        int i = _pos;
        if (i < _json.Length && _json[i] == (byte)'-')
            i++;
        if (i >= _json.Length)
            return false;
        if (_json[i] == (byte)'0')
            i++;
        else if (!SkipDigits(ref i))
            return false;
        if (i < _json.Length && _json[i] == (byte)'.')
        {
            i++;
            if (!SkipDigits(ref i))
                return false;
        }
        if (i < _json.Length && (_json[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < _json.Length && (_json[i] == (byte)'+' || _json[i] == (byte)'-'))
                i++;
            if (!SkipDigits(ref i))
                return false;
        }
        number = _json[_pos..i];
        _pos = i;
        return true;
    }

    private bool SkipDigits(ref int i)
    {
        int first = i;
        while (i < _json.Length && (uint)(_json[i] - '0') <= 9)
            i++;
        return i > first;
    }

    // RFC 8259 §7: \" \\ \/ \b \f \n \r \t, or \u and four hex digits.
    private bool TrySkipEscape(ref int i)
    {
        if (i + 1 >= _json.Length)
            return false;
        switch (_json[i + 1])
        {
            case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                i += 2;
                return true;
            case (byte)'u':
                if (i + 6 > _json.Length)
                    return false;
                for (int k = i + 2; k < i + 6; k++)
                {
                    if (!char.IsAsciiHexDigit((char)_json[k]))
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
