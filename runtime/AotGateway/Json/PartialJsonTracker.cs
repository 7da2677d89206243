using System;
using System.Buffers;
using System.Text.Json;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// Follows a JSON value as its text arrives in pieces, resuming where the last piece stopped: each byte is looked
/// at once (a string cut short is searched on from where the search stopped), so the cost of a piece grows with
/// the piece, not with the text so far. It keeps a frame per open object or array and, with a
/// <see cref="PartialJsonBuilder"/>, hands each value to its builder once the value is whole. Without one it keeps
/// only where each frame's last whole value ends, for <see cref="WriteClosedPrefix"/>.
/// </summary>
/// <remarks>
/// It does not validate: text that breaks the grammar, or a value its builder refuses, stops it
/// (<see cref="Stopped"/>), and the strict read of the whole reply says what is wrong.
/// </remarks>
internal sealed class PartialJsonTracker : IDisposable
{
    /// <summary>As deep as the library's readers read.</summary>
    public const int MaxDepth = 128;

    private static readonly SearchValues<byte> s_endOfBareValue = SearchValues.Create(" \t\r\n,]}"u8);
    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = MaxDepth };

    private enum Expect : byte
    {
        Root,
        ValueOrEnd, // after '['
        Value,      // after ':' or an array's ','
        NameOrEnd,  // after '{'
        Name,       // after an object's ','
        Colon,
        CommaOrEnd,
    }

    private struct Frame
    {
        public bool IsObject;
        public PartialJsonBuilder? Builder;
        public int ValueStart;       // the frame's '[' or '{'
        public int LastWholeEnd;     // just past its last whole member or element; -1 before the first
        public int NameStart;        // the current member's name, inside its quotes
        public int NameEnd;
        public bool NameEscaped;
    }

    private readonly PooledBufferWriter _text;
    private readonly PartialJsonBuilder? _root;
    private Frame[] _frames = new Frame[8];
    private int _depth;
    private int _pos;
    private int _stringScanned; // how far a string cut short was searched
    private bool _stringEscaped; // whether that much of it held an escape
    private readonly System.Text.StringBuilder _growing = new();
    private int _growingFrom = -1; // the string value whose text is being shown, by its opening quote
    private int _growingDecoded;   // how much of its raw text is decoded into _growing
    private Expect _expect;
    private byte[]? _nameScratch;

    /// <param name="root">Fills the top value (which must then be an object); <see langword="null"/> to keep only positions.</param>
    public PartialJsonTracker(PartialJsonBuilder? root)
    {
        _root = root;
        _text = new PooledBufferWriter(1024);
    }

    /// <summary>Something new is whole (or a container opened) since <see cref="Changed"/> was last cleared.</summary>
    public bool Changed { get; set; }

    /// <summary>Whether a string member still arriving is offered to its builder as it grows.</summary>
    public bool GrowStrings { get; set; }

    /// <summary>The top value has ended.</summary>
    public bool Ended { get; private set; }

    /// <summary>The text left the grammar or a builder refused a value: nothing more is followed.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Takes the next piece of the text.</summary>
    public void Append(ReadOnlySpan<byte> piece)
    {
        if (Stopped || Ended || piece.IsEmpty)
            return;
        _text.Write(piece);
        try
        {
            Scan(_text.WrittenSpan);
        }
        catch (JsonException)
        {
            // GatewayJsonException included: a value its member refuses.
            Stopped = true;
        }
    }

    private void Scan(ReadOnlySpan<byte> text)
    {
        while (!Stopped && !Ended)
        {
            while (_pos < text.Length && text[_pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                _pos++;
            if (_pos >= text.Length)
                return;
            byte b = text[_pos];
            switch (_expect)
            {
                case Expect.Root:
                    if (b != (byte)'{' && !(b == (byte)'[' && _root is null))
                    {
                        Stopped = true;
                        return;
                    }
                    Open(b == (byte)'{');
                    break;
                case Expect.ValueOrEnd when b == (byte)']':
                case Expect.NameOrEnd when b == (byte)'}':
                    Close(text);
                    break;
                case Expect.ValueOrEnd:
                case Expect.Value:
                    if (!TryValue(text, b))
                        return;
                    break;
                case Expect.NameOrEnd:
                case Expect.Name:
                    if (b != (byte)'"')
                    {
                        Stopped = true;
                        return;
                    }
                    if (!TryScanString(text, out int end, out bool escaped))
                        return;
                    ref Frame frame = ref _frames[_depth - 1];
                    frame.NameStart = _pos + 1;
                    frame.NameEnd = end - 1;
                    frame.NameEscaped = escaped;
                    _pos = end;
                    _expect = Expect.Colon;
                    break;
                case Expect.Colon:
                    if (b != (byte)':')
                    {
                        Stopped = true;
                        return;
                    }
                    _pos++;
                    _expect = Expect.Value;
                    break;
                case Expect.CommaOrEnd:
                    bool inObject = _frames[_depth - 1].IsObject;
                    if (b == (byte)',')
                    {
                        _pos++;
                        _expect = inObject ? Expect.Name : Expect.Value;
                    }
                    else if (b == (inObject ? (byte)'}' : (byte)']'))
                    {
                        Close(text);
                    }
                    else
                    {
                        Stopped = true;
                        return;
                    }
                    break;
            }
        }
    }

    /// <summary>A value starts at <c>_pos</c>: a container opens; a scalar is taken once it is whole. False: wait for more.</summary>
    private bool TryValue(ReadOnlySpan<byte> text, byte first)
    {
        if (first is (byte)'{' or (byte)'[')
        {
            Open(first == (byte)'{');
            return true;
        }
        int end;
        if (first == (byte)'"')
        {
            if (!TryScanString(text, out end, out _))
            {
                if (GrowStrings)
                    OfferGrowingString(text);
                return false;
            }
        }
        else
        {
            // A number or a literal ends where a delimiter follows it; at the text's end it may still grow.
            int length = text[_pos..].IndexOfAny(s_endOfBareValue);
            if (length < 0)
                return false;
            if (length == 0)
            {
                Stopped = true;
                return true;
            }
            end = _pos + length;
        }
        int start = _pos;
        _pos = end;
        Whole(text, start, end, child: null);
        return true;
    }

    /// <summary>
    /// The string member starting at <c>_pos</c> is cut short: decode what is whole of it since last time (an escape
    /// is whole with all its bytes, a high surrogate's escape with its low one) and offer the text to the builder.
    /// </summary>
    private void OfferGrowingString(ReadOnlySpan<byte> text)
    {
        ref Frame frame = ref _frames[_depth - 1];
        if (!frame.IsObject || frame.Builder is not { } builder)
            return;
        if (_growingFrom != _pos)
        {
            _growingFrom = _pos;
            _growingDecoded = 0;
            _growing.Clear();
        }
        ReadOnlySpan<byte> raw = text[(_pos + 1)..];
        int safe = _growingDecoded;
        while (safe < raw.Length)
        {
            int escape = raw[safe..].IndexOf((byte)'\\');
            if (escape < 0)
            {
                safe = raw.Length - IncompleteUtf8Tail(raw);
                break;
            }
            safe += escape;
            int length = EscapeLength(raw[safe..]);
            if (length == 0)
                break;
            safe += length;
        }
        if (safe == _growingDecoded)
            return;
        // The new part decoded on its own: escapes never straddle the cut, and the text is whole UTF-8.
        var reader = new Utf8JsonReader(Quoted(raw[_growingDecoded..safe]));
        reader.Read();
        try
        {
            _growing.Append(reader.GetString());
        }
        catch (InvalidOperationException)
        {
            // An escape that is not valid UTF-16 (a lone surrogate): the strict read of the reply will say so.
            Stopped = true;
            return;
        }
        _growingDecoded = safe;
        builder.GrowString(NameOf(in frame), _growing);
        Changed = true;
    }

    /// <summary>How many bytes at the end begin a UTF-8 sequence the text does not yet hold whole.</summary>
    private static int IncompleteUtf8Tail(ReadOnlySpan<byte> text)
    {
        for (int back = 1; back <= 3 && back <= text.Length; back++)
        {
            byte b = text[^back];
            if ((b & 0xC0) == 0x80)
                continue; // a continuation byte: look further back for the lead
            int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? back : 0;
        }
        return 0;
    }

    /// <summary>The bytes of the escape at the start, or 0 when it is not whole yet.</summary>
    private static int EscapeLength(ReadOnlySpan<byte> escape)
    {
        if (escape.Length < 2)
            return 0;
        if (escape[1] != (byte)'u')
            return 2;
        if (escape.Length < 6)
            return 0;
        // A high surrogate is whole only with the low one after it.
        bool high = escape[2] is (byte)'d' or (byte)'D' && escape[3] is (byte)'8' or (byte)'9' or (byte)'a' or (byte)'b' or (byte)'A' or (byte)'B';
        if (!high)
            return 6;
        return escape.Length >= 12 ? 12 : 0;
    }

    private static byte[] Quoted(ReadOnlySpan<byte> raw)
    {
        byte[] quoted = new byte[raw.Length + 2];
        quoted[0] = (byte)'"';
        raw.CopyTo(quoted.AsSpan(1));
        quoted[^1] = (byte)'"';
        return quoted;
    }

    private void Open(bool isObject)
    {
        if (_depth == MaxDepth)
        {
            Stopped = true;
            return;
        }
        PartialJsonBuilder? builder;
        if (_depth == 0)
        {
            builder = _root;
        }
        else
        {
            ref Frame parent = ref _frames[_depth - 1];
            builder = parent.Builder?.OpenMember(NameOf(in parent), isArray: !isObject);
        }
        if (_depth == _frames.Length)
            Array.Resize(ref _frames, _frames.Length * 2);
        _frames[_depth++] = new Frame { IsObject = isObject, Builder = builder, ValueStart = _pos, LastWholeEnd = -1 };
        Changed |= builder is not null || _root is null;
        _pos++;
        _expect = isObject ? Expect.NameOrEnd : Expect.ValueOrEnd;
    }

    private void Close(ReadOnlySpan<byte> text)
    {
        Frame closed = _frames[--_depth];
        _frames[_depth] = default;
        _pos++;
        if (_depth == 0)
        {
            Ended = true;
            Changed = true;
            return;
        }
        Whole(text, closed.ValueStart, _pos, closed.Builder);
    }

    /// <summary>A member or element is whole: its builder, or its frame's, takes it.</summary>
    private void Whole(ReadOnlySpan<byte> text, int start, int end, PartialJsonBuilder? child)
    {
        ref Frame frame = ref _frames[_depth - 1];
        frame.LastWholeEnd = end;
        _expect = Expect.CommaOrEnd;
        if (frame.Builder is not { } builder)
        {
            Changed |= _root is null;
            return;
        }
        ReadOnlySpan<byte> name = NameOf(in frame);
        if (child is not null)
        {
            builder.CloseMember(name, child);
        }
        else
        {
            var reader = new Utf8JsonReader(text[start..end], s_readerOptions);
            reader.Read();
            builder.CompleteMemberText(name, text[start..end], ref reader);
        }
        Changed = true;
    }

    private ReadOnlySpan<byte> NameOf(in Frame frame)
    {
        if (!frame.IsObject)
            return default;
        ReadOnlySpan<byte> raw = _text.WrittenSpan[frame.NameStart..frame.NameEnd];
        if (!frame.NameEscaped)
            return raw;
        // Rare: a name with escapes is compared unescaped, as the type's reader compares it.
        var reader = new Utf8JsonReader(_text.WrittenSpan[(frame.NameStart - 1)..(frame.NameEnd + 1)]);
        reader.Read();
        if (_nameScratch is null || _nameScratch.Length < raw.Length)
            _nameScratch = new byte[Math.Max(64, raw.Length)];
        int length = reader.CopyString(_nameScratch);
        return _nameScratch.AsSpan(0, length);
    }

    /// <summary>The string starting at <c>_pos</c>: its end just past the closing quote. False: it goes on past the text.</summary>
    private bool TryScanString(ReadOnlySpan<byte> text, out int end, out bool escaped)
    {
        int i = Math.Max(_pos + 1, _stringScanned);
        escaped = _stringScanned != 0 && _stringEscaped;
        end = 0;
        while (true)
        {
            int found = i < text.Length ? text[i..].IndexOfAny((byte)'"', (byte)'\\') : -1;
            if (found < 0)
            {
                _stringScanned = text.Length;
                _stringEscaped = escaped;
                return false;
            }
            i += found;
            if (text[i] == (byte)'"')
                break;
            escaped = true;
            // An escape cut at the text's end is searched again once the rest arrives.
            if (i + 1 >= text.Length)
            {
                _stringScanned = i;
                _stringEscaped = true;
                return false;
            }
            i += 2;
        }
        _stringScanned = 0;
        _stringEscaped = false;
        end = i + 1;
        return true;
    }

    /// <summary>
    /// The text so far cut after the last whole member or element of each open value the partial shows, with the
    /// brackets that close them: JSON that holds exactly what the partial holds. False before the top value opens.
    /// </summary>
    public bool WriteClosedPrefix(PooledBufferWriter output)
    {
        if (_depth == 0 && !Ended)
            return false;
        ReadOnlySpan<byte> text = _text.WrittenSpan;
        if (Ended)
        {
            output.Write(text[..(_pos)]);
            return true;
        }
        // Open values are shown as the partial shows them: with builders, only those a builder fills (an open list
        // element, or a member read whole, is left out); without, everything but an open list element.
        int shown = _depth - 1;
        for (int d = 1; d < _depth; d++)
        {
            if (_root is not null ? _frames[d].Builder is null : !_frames[d - 1].IsObject)
            {
                shown = d - 1;
                break;
            }
        }
        ref Frame top = ref _frames[shown];
        output.Write(text[..(top.LastWholeEnd >= 0 ? top.LastWholeEnd : top.ValueStart + 1)]);
        for (int d = shown; d >= 0; d--)
            output.Write(_frames[d].IsObject ? "}"u8 : "]"u8);
        return true;
    }

    /// <summary><see cref="WriteClosedPrefix"/> as a string; <see langword="null"/> before the top value has opened.</summary>
    public string? ClosedPrefixString()
    {
        using var output = new PooledBufferWriter(Math.Max(256, _text.WrittenCount + _depth));
        return WriteClosedPrefix(output) ? System.Text.Encoding.UTF8.GetString(output.WrittenSpan) : null;
    }

    public void Dispose() => _text.Dispose();
}
