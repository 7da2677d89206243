using System;
using System.Text;

namespace AotGateway.Generator.Parsing;

/// <summary>
/// Finds one top-level element of a doc comment's XML (<c>&lt;summary&gt;</c>, <c>&lt;param name="x"&gt;</c>) and gives its
/// text with whitespace collapsed, in a single pass without building a tree. Descriptions are read for every member
/// on every keystroke, and an XML tree per comment was two thirds of what the parse allocated.
/// <para>
/// Reads as <see cref="System.Xml.Linq.XElement"/> would with whitespace preserved: text and CDATA as written,
/// entities decoded; a child element is its <c>cref</c> (as a simple name), else its <c>langword</c>, else its text.
/// A comment that is not well-formed XML gives no description at all (the compiler reports it already).
/// </para>
/// </summary>
internal struct DocXml
{
    private enum Collect
    {
        None,
        /// <summary>The content of the wanted element: child elements stand for their cref or langword.</summary>
        Element,
        /// <summary>All text below, whatever the elements.</summary>
        Text,
    }

    [ThreadStatic]
    private static StringBuilder? t_text;

    private readonly string _xml;
    private readonly string _element;
    private readonly string? _name;
    private int _pos;
    private bool _matched;
    private bool _pendingSpace;
    private string? _found;

    private DocXml(string xml, string element, string? name)
    {
        _xml = xml;
        _element = element;
        _name = name;
        _pos = 0;
        _matched = false;
        _pendingSpace = false;
        _found = null;
    }

    /// <summary>
    /// The text of the first child of the root named <paramref name="element"/> (and, when given, whose <c>name</c>
    /// attribute is <paramref name="name"/>); null when there is none, it is empty, or the XML is not well-formed.
    /// </summary>
    public static string? ElementText(string xml, string element, string? name)
    {
        var reader = new DocXml(xml, element, name);
        return reader.ReadDocument() ? reader._found : null;
    }

    private bool ReadDocument()
    {
        if (!SkipMisc() || !At('<'))
            return false;
        if (!ReadElement(depth: 0, Collect.None))
            return false;
        return SkipMisc() && _pos == _xml.Length;
    }

    /// <summary>Whitespace, comments and processing instructions outside the root.</summary>
    private bool SkipMisc()
    {
        while (_pos < _xml.Length)
        {
            if (IsWhitespace(_xml[_pos]))
                _pos++;
            else if (StartsWith("<!--"))
            {
                if (!SkipPast("-->"))
                    return false;
            }
            else if (StartsWith("<?"))
            {
                if (!SkipPast("?>"))
                    return false;
            }
            else
                break;
        }
        return true;
    }

    /// <summary>Reads an element at '&lt;' through its end tag; <paramref name="collect"/> is what its parent gathers.</summary>
    private bool ReadElement(int depth, Collect collect)
    {
        _pos++; // '<'
        int nameStart = _pos;
        if (!ReadName())
            return false;
        int nameLength = _pos - nameStart;
        string? cref = null, langword = null, nameAttribute = null;
        bool selfClosing;
        while (true)
        {
            bool spaced = SkipWhitespace();
            if (StartsWith("/>"))
            {
                _pos += 2;
                selfClosing = true;
                break;
            }
            if (At('>'))
            {
                _pos++;
                selfClosing = false;
                break;
            }
            if (!spaced)
                return false;
            int attributeStart = _pos;
            if (!ReadName())
                return false;
            int attributeLength = _pos - attributeStart;
            SkipWhitespace();
            if (!At('='))
                return false;
            _pos++;
            SkipWhitespace();
            if (!ReadAttributeValue(out string? value, keep: collect != Collect.Text))
                return false;
            if (NameIs(attributeStart, attributeLength, "cref"))
                cref ??= value;
            else if (NameIs(attributeStart, attributeLength, "langword"))
                langword ??= value;
            else if (NameIs(attributeStart, attributeLength, "name"))
                nameAttribute ??= value;
        }

        Collect inner;
        bool wanted = false;
        switch (collect)
        {
            case Collect.Element when cref is not null:
                Append(CrefName(cref));
                inner = Collect.None;
                break;
            case Collect.Element when langword is not null:
                Append(langword);
                inner = Collect.None;
                break;
            case Collect.Element:
            case Collect.Text:
                inner = Collect.Text;
                break;
            default:
                wanted = depth == 1 && !_matched && NameIs(nameStart, nameLength, _element) && (_name is null || _name == nameAttribute);
                inner = wanted ? Collect.Element : Collect.None;
                break;
        }
        if (wanted)
        {
            _matched = true;
            _pendingSpace = false;
            (t_text ??= new StringBuilder()).Clear();
        }

        if (!selfClosing)
        {
            if (!ReadContent(depth + 1, inner))
                return false;
            // At "</": the end tag must name this element.
            _pos += 2;
            int endStart = _pos;
            if (!ReadName() || _pos - endStart != nameLength || string.CompareOrdinal(_xml, nameStart, _xml, endStart, nameLength) != 0)
                return false;
            SkipWhitespace();
            if (!At('>'))
                return false;
            _pos++;
        }
        if (wanted && t_text!.Length > 0)
            _found = t_text.ToString();
        return true;
    }

    /// <summary>Reads content up to the "&lt;/" that ends it.</summary>
    private bool ReadContent(int depth, Collect collect)
    {
        while (_pos < _xml.Length)
        {
            char c = _xml[_pos];
            if (c == '<')
            {
                if (StartsWith("</"))
                    return true;
                if (StartsWith("<!--"))
                {
                    if (!SkipPast("-->"))
                        return false;
                }
                else if (StartsWith("<![CDATA["))
                {
                    int start = _pos + 9;
                    int end = _xml.IndexOf("]]>", start, StringComparison.Ordinal);
                    if (end < 0)
                        return false;
                    if (collect != Collect.None)
                        Append(_xml, start, end - start);
                    _pos = end + 3;
                }
                else if (StartsWith("<?"))
                {
                    if (!SkipPast("?>"))
                        return false;
                }
                else if (StartsWith("<!"))
                    return false; // a DOCTYPE has no place inside an element
                else if (!ReadElement(depth, collect))
                    return false;
            }
            else if (c == '&')
            {
                if (!ReadEntity(out char first, out char second))
                    return false;
                if (collect != Collect.None)
                {
                    Append(first);
                    if (second != '\0')
                        Append(second);
                }
            }
            else
            {
                if (collect != Collect.None)
                    Append(c);
                _pos++;
            }
        }
        return false; // the document ended inside an element
    }

    private bool ReadAttributeValue(out string? value, bool keep)
    {
        value = null;
        if (_pos >= _xml.Length || _xml[_pos] is not ('"' or '\''))
            return false;
        char quote = _xml[_pos++];
        int start = _pos;
        StringBuilder? decoded = null;
        while (_pos < _xml.Length && _xml[_pos] != quote)
        {
            char c = _xml[_pos];
            if (c == '<')
                return false;
            if (c == '&')
            {
                if (keep)
                    decoded ??= new StringBuilder().Append(_xml, start, _pos - start);
                if (!ReadEntity(out char first, out char second))
                    return false;
                decoded?.Append(first);
                if (second != '\0')
                    decoded?.Append(second);
                continue;
            }
            // XML normalises whitespace characters in attribute values to spaces.
            decoded?.Append(c is '\t' or '\n' or '\r' ? ' ' : c);
            _pos++;
        }
        if (_pos >= _xml.Length)
            return false;
        if (keep)
            value = decoded?.ToString() ?? Normalized(_xml.Substring(start, _pos - start));
        _pos++; // closing quote
        return true;
    }

    private static string Normalized(string value) =>
        value.IndexOfAny(['\t', '\n', '\r']) < 0 ? value : value.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>Decodes an entity or character reference at '&amp;' into one char or a surrogate pair.</summary>
    private bool ReadEntity(out char first, out char second)
    {
        first = second = '\0';
        int end = _xml.IndexOf(';', _pos);
        if (end < 0 || end - _pos > 12)
            return false;
        int start = _pos + 1;
        int length = end - start;
        _pos = end + 1;
        if (length > 1 && _xml[start] == '#')
        {
            bool hex = _xml[start + 1] == 'x';
            int digits = hex ? start + 2 : start + 1;
            if (digits == end)
                return false;
            int code = 0;
            for (int i = digits; i < end; i++)
            {
                int digit = HexValue(_xml[i]);
                if (digit < 0 || (!hex && digit > 9))
                    return false;
                code = code * (hex ? 16 : 10) + digit;
                if (code > 0x10FFFF)
                    return false;
            }
            if (code < 0x20 && code is not (0x9 or 0xA or 0xD) || code is >= 0xD800 and <= 0xDFFF or 0xFFFE or 0xFFFF)
                return false;
            if (code < 0x10000)
            {
                first = (char)code;
                return true;
            }
            code -= 0x10000;
            first = (char)(0xD800 + (code >> 10));
            second = (char)(0xDC00 + (code & 0x3FF));
            return true;
        }
        first = length switch
        {
            2 when NameIs(start, 2, "lt") => '<',
            2 when NameIs(start, 2, "gt") => '>',
            3 when NameIs(start, 3, "amp") => '&',
            4 when NameIs(start, 4, "quot") => '"',
            4 when NameIs(start, 4, "apos") => '\'',
            _ => '\0',
        };
        return first != '\0';
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private bool ReadName()
    {
        if (_pos >= _xml.Length || !IsNameStart(_xml[_pos]))
            return false;
        _pos++;
        while (_pos < _xml.Length && IsNameChar(_xml[_pos]))
            _pos++;
        return true;
    }

    private static bool IsNameStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || c >= 0x80;

    private static bool IsNameChar(char c) => IsNameStart(c) || c is (>= '0' and <= '9') or '-' or '.';

    private static bool IsWhitespace(char c) => c is ' ' or '\n' or '\r' or '\t';

    private bool SkipWhitespace()
    {
        int start = _pos;
        while (_pos < _xml.Length && IsWhitespace(_xml[_pos]))
            _pos++;
        return _pos > start;
    }

    private bool SkipPast(string terminator)
    {
        int end = _xml.IndexOf(terminator, _pos + 2, StringComparison.Ordinal);
        if (end < 0)
            return false;
        _pos = end + terminator.Length;
        return true;
    }

    private readonly bool At(char c) => _pos < _xml.Length && _xml[_pos] == c;

    private readonly bool StartsWith(string text) => string.CompareOrdinal(_xml, _pos, text, 0, text.Length) == 0;

    private readonly bool NameIs(int start, int length, string name) =>
        length == name.Length && string.CompareOrdinal(_xml, start, name, 0, length) == 0;

    private void Append(string text) => Append(text, 0, text.Length);

    private void Append(string text, int start, int length)
    {
        for (int i = start; i < start + length; i++)
            Append(text[i]);
    }

    /// <summary>Appends with runs of whitespace collapsed to one space and none at either end.</summary>
    private void Append(char c)
    {
        StringBuilder text = t_text!;
        if (IsWhitespace(c))
        {
            _pendingSpace = text.Length > 0;
            return;
        }
        if (_pendingSpace)
        {
            text.Append(' ');
            _pendingSpace = false;
        }
        text.Append(c);
    }

    /// <summary>
    /// A cref as a reader names it: "T:Docs.Parcel", "M:Docs.Parcel.Ship(System.Int32)" and an unbound
    /// "Parcel" (read from source without the compiler) all become the simple name, so the schema
    /// does not depend on whether documentation was parsed.
    /// </summary>
    internal static string CrefName(string cref)
    {
        string name = cref.Substring(cref.IndexOf(':') + 1);
        int arguments = name.IndexOfAny(['(', '{', '<']);
        if (arguments >= 0)
            name = name.Substring(0, arguments);
        name = name.Substring(name.LastIndexOf('.') + 1);
        int arity = name.IndexOf('`');
        return arity >= 0 ? name.Substring(0, arity) : name;
    }
}
