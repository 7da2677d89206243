using System;
using System.Diagnostics;
using System.Text.Unicode;
using System.Text.Json;
using AotGateway.Json;

namespace AotGateway;

/// <summary>
/// Where a chunk's escaped strings are unescaped to, reused from chunk to chunk. Unescaped text is never longer
/// than its escaped form, so a scratch as long as the payload always suffices.
/// </summary>
internal sealed class ChunkScratch
{
    // Sized by the payloads seen, not up front: a stream of 200-byte chunks should not carry 4 KB it never fills
    // (a thousand concurrent streams, 4 MB).
    private byte[] _buffer = [];
    private int _used;

    /// <summary>Whether anything of the current chunk lives here (its slices are then not slices of the payload).</summary>
    public bool IsEmpty => _used == 0;

    /// <summary>Starts a chunk of <paramref name="payloadLength"/> bytes, dropping the previous chunk's text.</summary>
    public void Reset(int payloadLength)
    {
        if (_buffer.Length < payloadLength)
            _buffer = new byte[Math.Max(payloadLength, _buffer.Length * 2)];
        _used = 0;
    }

    /// <summary>Unescapes the current string token of <paramref name="reader"/>.</summary>
    public ReadOnlyMemory<byte> Unescape(ref Utf8JsonReader reader)
    {
        int written = JsonReading.CopyString(ref reader, _buffer.AsSpan(_used));
        return Take(written);
    }

    /// <summary>
    /// Unescapes the string whose text lies at <paramref name="start"/> (just after its opening quote) in
    /// <paramref name="json"/>, a string the scanner has checked: every escape in it is complete and valid.
    /// </summary>
    public ReadOnlyMemory<byte> Unescape(ReadOnlySpan<byte> json, int start, int length)
    {
        Debug.Assert(start > 0 && json[start - 1] == (byte)'"' && json[start + length] == (byte)'"', "A string the scanner found, between its quotes.");
        ReadOnlySpan<byte> raw = json.Slice(start, length);
        Span<byte> target = _buffer.AsSpan(_used);
        int written = 0;
        while (true)
        {
            int backslash = raw.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                raw.CopyTo(target[written..]);
                written += raw.Length;
                // As the BCL's CopyString does for every escaped string, so both readers reject the same text.
                if (!Utf8.IsValid(target[..written]))
                    throw JsonReading.BadText();
                return Take(written);
            }
            raw[..backslash].CopyTo(target[written..]);
            written += backslash;
            if (raw[backslash + 1] == (byte)'u')
            {
                // \u escapes (surrogate pairs, lone surrogates) are left to the BCL, whose verdicts the full
                // reader shares; what was written so far is simply overwritten.
                var reader = new Utf8JsonReader(json.Slice(start - 1, length + 2));
                reader.Read();
                return Unescape(ref reader);
            }
            target[written++] = raw[backslash + 1] switch
            {
                (byte)'n' => (byte)'\n',
                (byte)'t' => (byte)'\t',
                (byte)'r' => (byte)'\r',
                (byte)'b' => (byte)'\b',
                (byte)'f' => (byte)'\f',
                byte other => other, // \" \\ \/
            };
            raw = raw[(backslash + 2)..];
        }
    }

    private ReadOnlyMemory<byte> Take(int written)
    {
        // Reset sized the buffer to the payload, and unescaped text is never longer than its escaped form, so
        // every string of a chunk fits: running out would mean a string was unescaped twice or Reset was skipped.
        Debug.Assert(_used + written <= _buffer.Length);
        ReadOnlyMemory<byte> text = _buffer.AsMemory(_used, written);
        _used += written;
        return text;
    }
}
