using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AotGateway;

/// <summary>
/// Partial objects for a type System.Text.Json knows, from its metadata alone (no reflection). Each member is kept
/// as its text once whole, or as the builder that fills it (a nested object, or a list whose elements are each read
/// once, when whole). A partial is read with the metadata from a small text written from those parts (whole members'
/// text, an open object's own small text, <c>[]</c> for a list, a placeholder for a required member not yet
/// arrived), then each list is filled with its elements through the collection the metadata made. So records,
/// <c>init</c> and <c>required</c> members need no setter, and no element is read twice.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The writer only writes to a managed buffer; nothing to release.")]
internal sealed class TypeInfoPartialBuilder : PartialJsonBuilder<object?>
{
    private static readonly ConditionalWeakTable<JsonTypeInfo, Shape?> s_shapes = [];

    private readonly JsonTypeInfo _type;
    private readonly Shape _shape;
    private readonly byte[]?[] _text;
    private readonly PartialJsonBuilder<object?>?[] _child;
    private readonly StringBuilder?[] _grow;
    private ArrayBufferWriter<byte>? _snapshotText;
    private Utf8JsonWriter? _snapshotWriter;

    private TypeInfoPartialBuilder(JsonTypeInfo type, Shape shape)
    {
        _type = type;
        _shape = shape;
        _text = new byte[]?[shape.Properties.Length];
        _child = new PartialJsonBuilder<object?>?[shape.Properties.Length];
        _grow = new StringBuilder?[shape.Properties.Length];
    }

    /// <summary>A builder for <paramref name="type"/>, or null when its partials must be read whole.</summary>
    public static PartialJsonBuilder<object?>? For(JsonTypeInfo type) => type.Kind switch
    {
        JsonTypeInfoKind.Object => s_shapes.GetValue(type, Shape.Of) is { } shape ? new TypeInfoPartialBuilder(type, shape) : null,
        JsonTypeInfoKind.Enumerable when type.ElementType is not null => TypeInfoListBuilder.For(type),
        _ => null,
    };

    private int IndexOf(ReadOnlySpan<byte> name)
    {
        Span<char> chars = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        int length = Encoding.UTF8.GetChars(name, chars);
        return _shape.ByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out int index) ? index : -1;
    }

    public override PartialJsonBuilder? OpenMember(ReadOnlySpan<byte> name, bool isArray)
    {
        int i = IndexOf(name);
        if (i < 0)
            return null;
        JsonTypeInfo member = _shape.MemberType(i);
        PartialJsonBuilder<object?>? child = (member.Kind == JsonTypeInfoKind.Enumerable) == isArray && member.Kind != JsonTypeInfoKind.Dictionary ? For(member) : null;
        if (child is not null)
        {
            _text[i] = null;
            _grow[i] = null;
            _child[i] = child;
        }
        return child;
    }

    public override void CompleteMember(ReadOnlySpan<byte> name, ref Utf8JsonReader reader) =>
        throw new InvalidOperationException("The library hands this builder each value with its text.");

    internal override void CompleteMemberText(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref Utf8JsonReader reader)
    {
        int i = IndexOf(name);
        if (i < 0)
            return;
        // Read once now, so a value that does not fit stops the partials here rather than in every later one.
        JsonSerializer.Deserialize(ref reader, _shape.MemberType(i));
        _child[i] = null;
        _grow[i] = null;
        _text[i] = value.ToArray();
    }

    public override void GrowString(ReadOnlySpan<byte> name, StringBuilder textSoFar)
    {
        int i = IndexOf(name);
        if (i >= 0 && _shape.Properties[i].PropertyType == typeof(string))
            _grow[i] = textSoFar;
    }

    /// <summary>A filled member stays with its builder: it is whole now, and its parts are written as they are.</summary>
    public override void CloseMember(ReadOnlySpan<byte> name, PartialJsonBuilder child)
    {
    }

    public override object? Snapshot()
    {
        // One buffer and writer per builder, reused: a partial costs its own objects, not its text.
        _snapshotText ??= new ArrayBufferWriter<byte>(256);
        _snapshotText.ResetWrittenCount();
        if (_snapshotWriter is null)
            _snapshotWriter = new Utf8JsonWriter(_snapshotText, new JsonWriterOptions { SkipValidation = true });
        else
            _snapshotWriter.Reset(_snapshotText);
        Write(_snapshotWriter);
        _snapshotWriter.Flush();
        object value = JsonSerializer.Deserialize(_snapshotText.WrittenSpan, _type)!;
        Fill(value);
        return value;
    }

    public override object? Finish() => Snapshot();

    /// <summary>This object's small text: whole members as they came, open ones as their builders write them.</summary>
    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        for (int i = 0; i < _shape.Properties.Length; i++)
        {
            if (_child[i] is TypeInfoPartialBuilder child)
            {
                writer.WritePropertyName(_shape.Names[i]);
                child.Write(writer);
            }
            else if (_child[i] is TypeInfoListBuilder)
            {
                writer.WritePropertyName(_shape.Names[i]);
                writer.WriteStartArray();
                writer.WriteEndArray();
            }
            else if (_grow[i] is { } growing)
            {
                writer.WriteString(_shape.Names[i], growing.ToString());
            }
            else if (_text[i] is { } whole)
            {
                writer.WritePropertyName(_shape.Names[i]);
                writer.WriteRawValue(whole, skipInputValidation: true);
            }
            else if (_shape.Placeholders[i] is { } placeholder)
            {
                writer.WritePropertyName(_shape.Names[i]);
                writer.WriteRawValue(placeholder, skipInputValidation: true);
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>Puts each list's elements into the collection the metadata made for it, at every level.</summary>
    private void Fill(object value)
    {
        for (int i = 0; i < _shape.Properties.Length; i++)
        {
            if (_child[i] is null || _shape.Properties[i].Get is not { } get)
                continue;
            object? member = get(value);
            if (_child[i] is TypeInfoListBuilder list && member is IList collection)
                list.FillInto(collection);
            else if (_child[i] is TypeInfoPartialBuilder child && member is not null)
                child.Fill(member);
        }
    }

    /// <summary>What a type's metadata says once: its members, their names, and placeholders for required ones.</summary>
    private sealed class Shape
    {
        private static readonly string[] s_placeholders =
            ["null", "0", "false", "\"\"", "[]", "{}", "\"00000000-0000-0000-0000-000000000000\"", "\"0001-01-01T00:00:00\"", "\"0001-01-01\"", "\"00:00:00\""];

        private readonly JsonTypeInfo _type;
        private readonly JsonTypeInfo?[] _memberTypes;

        private Shape(JsonTypeInfo type)
        {
            _type = type;
            Properties = [.. type.Properties];
            Names = new JsonEncodedText[Properties.Length];
            Placeholders = new byte[]?[Properties.Length];
            _memberTypes = new JsonTypeInfo?[Properties.Length];
            ByName = new Dictionary<string, int>(Properties.Length, type.Options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            for (int i = 0; i < Properties.Length; i++)
            {
                Names[i] = JsonEncodedText.Encode(Properties[i].Name);
                ByName.TryAdd(Properties[i].Name, i);
            }
        }

        public JsonPropertyInfo[] Properties { get; }

        public JsonEncodedText[] Names { get; }

        public byte[]?[] Placeholders { get; }

        public Dictionary<string, int> ByName { get; }

        /// <summary>The member's metadata; a type the context lacks stops the partials (the strict read will say why).</summary>
        public JsonTypeInfo MemberType(int i)
        {
            try
            {
                return _memberTypes[i] ??= _type.Options.GetTypeInfo(Properties[i].PropertyType);
            }
            catch (NotSupportedException ex)
            {
                throw new JsonException(ex.Message, ex);
            }
        }

        /// <summary>
        /// The shape, when <c>{}</c> with a placeholder for each required member (the first of null, zero, false, an
        /// empty string, list or object, a zero id or date its metadata reads) reads as the type; else null, and the
        /// type's partials are read whole.
        /// </summary>
        public static Shape? Of(JsonTypeInfo type)
        {
            var shape = new Shape(type);
            var text = new ArrayBufferWriter<byte>(64);
            try
            {
                using (var writer = new Utf8JsonWriter(text))
                {
                    writer.WriteStartObject();
                    for (int i = 0; i < shape.Properties.Length; i++)
                    {
                        if (!shape.Properties[i].IsRequired)
                            continue;
                        if (shape.PlaceholderFor(i) is not { } placeholder)
                            return null;
                        shape.Placeholders[i] = placeholder;
                        writer.WritePropertyName(shape.Names[i]);
                        writer.WriteRawValue(placeholder, skipInputValidation: true);
                    }
                    writer.WriteEndObject();
                }
                return JsonSerializer.Deserialize(text.WrittenSpan, type) is null ? null : shape;
            }
            catch (JsonException)
            {
                return null;
            }
            catch (NotSupportedException)
            {
                return null;
            }
        }

        private byte[]? PlaceholderFor(int i)
        {
            JsonTypeInfo member = MemberType(i);
            foreach (string candidate in s_placeholders)
            {
                byte[] placeholder = Encoding.UTF8.GetBytes(candidate);
                try
                {
                    JsonSerializer.Deserialize(placeholder, member);
                    return placeholder;
                }
                catch (JsonException)
                {
                }
                catch (NotSupportedException)
                {
                }
            }
            return null;
        }
    }
}
