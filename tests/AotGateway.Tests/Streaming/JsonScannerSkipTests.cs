using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Xunit;

namespace AotGateway.Tests.Streaming;

/// <summary>
/// The scanner's one-loop skip of a raw value (a chunk's <c>logprobs</c>) against <see cref="Utf8JsonReader"/>, the
/// reader that words errors: on every one-byte deletion, insertion and replacement of real-shaped values, the scanner
/// never accepts what the reader refuses, never ends a value elsewhere, and refuses what the reader accepts only past
/// its depth limit.
/// </summary>
[Trait("Category", "Core")]
public sealed class JsonScannerSkipTests
{
    private static readonly string[] s_values =
    [
        """{"content":[{"token":"Hel","logprob":-0.0012,"bytes":[72,101,108],"top_logprobs":[{"token":"Hel","logprob":-0.0012,"bytes":[72,101,108]},{"token":"Hi","logprob":-6.25e-1,"bytes":[72,105]}]}],"refusal":null}""",
        """{ "a" : [ 1 , -0 , 0.5 , 2E+3 , true , false , null , "x\"\\\/\b\f\n\r\t\u00e9" ] , "b" : { } , "c" : [ ] }""",
        """[{"k":"é😀"},[[]],{"n":{"m":{"o":-12.5e-7}}}]""",
        "\"plain\"",
        "-123.45e+6",
    ];

    private static readonly byte[] s_insertions = "\"\\{}[],:0-.eE+ a\t\u0001"u8.ToArray();

    public static TheoryData<int> Values()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < s_values.Length; i++)
            data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void The_skip_agrees_with_Utf8JsonReader_on_every_one_byte_change(int value)
    {
        byte[] original = Encoding.UTF8.GetBytes(s_values[value]);
        Check(original);
        int variants = 0;
        foreach (byte[] variant in Variants(original))
        {
            Check(variant);
            variants++;
        }
        Assert.True(variants > original.Length * 10, $"{variants} variants");
    }

    [Fact]
    public void Nesting_past_the_scanner_limit_is_refused_to_the_full_reader()
    {
        string deep = new string('[', JsonScanner.MaxDepth + 1) + new string(']', JsonScanner.MaxDepth + 1);
        Assert.False(Skip(Encoding.UTF8.GetBytes(deep), out _));
        string limit = new string('[', JsonScanner.MaxDepth) + new string(']', JsonScanner.MaxDepth);
        Assert.True(Skip(Encoding.UTF8.GetBytes(limit), out int end));
        Assert.Equal(limit.Length, end);
    }

    private static IEnumerable<byte[]> Variants(byte[] original)
    {
        for (int at = 0; at < original.Length; at++)
        {
            yield return [.. original.AsSpan(0, at), .. original.AsSpan(at + 1)];
            foreach (byte b in s_insertions)
            {
                yield return [.. original.AsSpan(0, at), b, .. original.AsSpan(at)];
                byte[] replaced = (byte[])original.Clone();
                replaced[at] = b;
                yield return replaced;
            }
        }
    }

    /// <summary>Whether the whole text is one value to the scanner (as a chunk's reader then checks what follows).</summary>
    private static bool Skip(byte[] json, out int end)
    {
        var scanner = new JsonScanner(json);
        bool ok = scanner.TrySkipValue(out _, out end);
        return ok && scanner.AtEnd;
    }

    private static void Check(byte[] json)
    {
        bool scanned = Skip(json, out int scannedEnd);
        bool read = TryRead(json, out int readEnd, out int depth);
        string text = Encoding.UTF8.GetString(json);
        if (scanned)
        {
            Assert.True(read, $"the scanner accepted what Utf8JsonReader refuses: {text}");
            Assert.True(scannedEnd == readEnd, $"the scanner's value ended at {scannedEnd}, the reader's at {readEnd}: {text}");
        }
        else if (read)
        {
            Assert.True(depth > JsonScanner.MaxDepth, $"the scanner refused what Utf8JsonReader reads: {text}");
        }
    }

    /// <summary>Whether the whole text is one value to the reader, where that value ends, and how deep it nests.</summary>
    private static bool TryRead(byte[] json, out int end, out int maxDepth)
    {
        end = 0;
        maxDepth = 0;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read())
                return false;
            int depth = 0;
            do
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    maxDepth = Math.Max(maxDepth, ++depth);
                else if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                    depth--;
                if (depth == 0 && end == 0)
                    end = (int)reader.BytesConsumed;
            }
            while (reader.Read());
            return end > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
