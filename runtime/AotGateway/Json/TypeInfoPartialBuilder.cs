using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AotGateway;

/// <summary>
/// Partial objects for a type System.Text.Json knows, from its metadata alone (no reflection): each partial is a new
/// instance filled member by member through the metadata's setters, each member's value read once, with the member's
/// own metadata, when it is whole; a list member collects its whole elements. The metadata creates the instance
/// when it can (a parameterless constructor); otherwise (<c>required</c> members) it is read from a small template:
/// <c>{}</c> with a placeholder for each required member, found once per type. A type with a member the metadata
/// cannot set after construction (<c>init</c>, records) gets no builder: its partials come from the whole part of
/// the text.
/// </summary>
internal sealed class TypeInfoPartialBuilder : PartialJsonBuilder<object?>
{
    private readonly JsonTypeInfo _type;
    private readonly Dictionary<string, int> _byName;
    private readonly JsonPropertyInfo[] _properties;
    private readonly object?[] _values;
    private readonly bool[] _has;
    private readonly PartialJsonBuilder<object?>?[] _open;
    private readonly StringBuilder?[] _grow;

    private readonly byte[]? _template; // null: the metadata creates the instance

    private TypeInfoPartialBuilder(JsonTypeInfo type, byte[]? template)
    {
        _type = type;
        _template = template;
        _properties = [.. type.Properties];
        _byName = new Dictionary<string, int>(_properties.Length, type.Options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        for (int i = 0; i < _properties.Length; i++)
        {
            if (_properties[i].Set is not null)
                _byName.TryAdd(_properties[i].Name, i);
        }
        _values = new object?[_properties.Length];
        _has = new bool[_properties.Length];
        _open = new PartialJsonBuilder<object?>?[_properties.Length];
        _grow = new System.Text.StringBuilder?[_properties.Length];
    }

    /// <summary>A builder for <paramref name="type"/>, or null when its metadata cannot fill it member by member.</summary>
    public static PartialJsonBuilder<object?>? For(JsonTypeInfo type) => type.Kind switch
    {
        JsonTypeInfoKind.Object when type.CreateObject is not null => Settable(type, type.CreateObject()) ? new TypeInfoPartialBuilder(type, template: null) : null,
        JsonTypeInfoKind.Object => Template(type) is { } template && Settable(type, JsonSerializer.Deserialize(template, type)!) ? new TypeInfoPartialBuilder(type, template) : null,
        JsonTypeInfoKind.Enumerable when type.ElementType is not null => TypeInfoListBuilder.For(type),
        _ => null,
    };

    /// <summary>
    /// Whether every member can be set on an instance once made. Source-generated metadata refuses to set an
    /// <c>init</c> member (records' included) after construction, so such a type is read whole instead; tried once
    /// per type on a throwaway instance.
    /// </summary>
    private static bool Settable(JsonTypeInfo type, object instance)
    {
        foreach (JsonPropertyInfo property in type.Properties)
        {
            if (property.Set is not { } set || property.Get is not { } get)
                continue;
            try
            {
                set(instance, get(instance));
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
        return true;
    }

    private static readonly string[] s_placeholders =
        ["null", "0", "false", "\"\"", "[]", "{}", "\"00000000-0000-0000-0000-000000000000\"", "\"0001-01-01T00:00:00\"", "\"0001-01-01\"", "\"00:00:00\""];

    /// <summary>
    /// <c>{}</c> with, for each required member, the first placeholder its metadata reads (null, zero, false, an
    /// empty string, list or object, a zero date or id), tried once; null when some member takes none, or the
    /// template does not read (its partials then come from the whole part of the text).
    /// </summary>
    private static byte[]? Template(JsonTypeInfo type)
    {
        var json = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (JsonPropertyInfo property in type.Properties)
            {
                if (!property.IsRequired)
                    continue;
                string? placeholder = PlaceholderFor(property, type.Options);
                if (placeholder is null)
                    return null;
                writer.WritePropertyName(property.Name);
                writer.WriteRawValue(placeholder, skipInputValidation: true);
            }
            writer.WriteEndObject();
        }
        byte[] template = json.WrittenSpan.ToArray();
        try
        {
            return JsonSerializer.Deserialize(template, type) is null ? null : template;
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

    private static string? PlaceholderFor(JsonPropertyInfo property, JsonSerializerOptions options)
    {
        JsonTypeInfo member;
        try
        {
            member = options.GetTypeInfo(property.PropertyType);
        }
        catch (NotSupportedException)
        {
            return null;
        }
        foreach (string placeholder in s_placeholders)
        {
            try
            {
                JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(placeholder), member);
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

    private int IndexOf(ReadOnlySpan<byte> name)
    {
        Span<char> chars = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        int length = Encoding.UTF8.GetChars(name, chars);
        return _byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out int index) ? index : -1;
    }

    /// <summary>The member's metadata; a type the context lacks stops the partials (the strict read will say why).</summary>
    private JsonTypeInfo MemberType(int i)
    {
        try
        {
            return _type.Options.GetTypeInfo(_properties[i].PropertyType);
        }
        catch (NotSupportedException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    public override PartialJsonBuilder? OpenMember(ReadOnlySpan<byte> name, bool isArray)
    {
        int i = IndexOf(name);
        if (i < 0)
            return null;
        JsonTypeInfo member = MemberType(i);
        PartialJsonBuilder<object?>? child = (member.Kind == JsonTypeInfoKind.Enumerable) == isArray && member.Kind != JsonTypeInfoKind.Dictionary ? For(member) : null;
        _open[i] = child;
        return child;
    }

    public override void CompleteMember(ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
    {
        int i = IndexOf(name);
        if (i < 0)
            return;
        _open[i] = null;
        _grow[i] = null;
        _values[i] = JsonSerializer.Deserialize(ref reader, MemberType(i));
        _has[i] = true;
    }

    public override void GrowString(ReadOnlySpan<byte> name, StringBuilder textSoFar)
    {
        int i = IndexOf(name);
        if (i >= 0 && _properties[i].PropertyType == typeof(string))
            _grow[i] = textSoFar;
    }

    public override void CloseMember(ReadOnlySpan<byte> name, PartialJsonBuilder child)
    {
        int i = IndexOf(name);
        if (i < 0 || !ReferenceEquals(child, _open[i]))
            return;
        _values[i] = _open[i]!.Finish();
        _has[i] = true;
        _open[i] = null;
    }

    public override object? Snapshot()
    {
        object value = _template is null ? _type.CreateObject!() : JsonSerializer.Deserialize(_template, _type)!;
        for (int i = 0; i < _properties.Length; i++)
        {
            if (_open[i] is { } open)
                _properties[i].Set!(value, open.Snapshot());
            else if (_grow[i] is { } growing)
                _properties[i].Set!(value, growing.ToString());
            else if (_has[i])
                _properties[i].Set!(value, _values[i]);
        }
        return value;
    }

    /// <summary>The object from every member that arrived (the strict read of the reply is the caller's).</summary>
    public override object? Finish() => Snapshot();
}
