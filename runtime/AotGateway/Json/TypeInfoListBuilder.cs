using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AotGateway;

/// <summary>
/// A list member for <see cref="TypeInfoPartialBuilder"/>: each element read once, when whole, with the element's
/// metadata; each partial is a new collection of the member's own type (made by reading <c>[]</c> with its
/// metadata, then filled), so partials handed out never change.
/// </summary>
internal sealed class TypeInfoListBuilder : PartialJsonBuilder<object?>
{
    private readonly JsonTypeInfo _list;
    private readonly JsonTypeInfo _element;
    private readonly List<object?> _items = [];

    private TypeInfoListBuilder(JsonTypeInfo list, JsonTypeInfo element)
    {
        _list = list;
        _element = element;
    }

    /// <summary>
    /// A builder when an empty collection of the type can be filled element by element (not an array, not a set);
    /// null, and the list is read whole, otherwise or when the context lacks the element's metadata.
    /// </summary>
    public static TypeInfoListBuilder? For(JsonTypeInfo list)
    {
        try
        {
            return JsonSerializer.Deserialize("[]"u8, list) is IList { IsFixedSize: false, IsReadOnly: false }
                ? new TypeInfoListBuilder(list, list.Options.GetTypeInfo(list.ElementType!))
                : null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override PartialJsonBuilder? OpenMember(ReadOnlySpan<byte> name, bool isArray) => null;

    public override void CompleteMember(ReadOnlySpan<byte> name, ref Utf8JsonReader reader) =>
        _items.Add(JsonSerializer.Deserialize(ref reader, _element));

    public override void CloseMember(ReadOnlySpan<byte> name, PartialJsonBuilder child) =>
        throw new InvalidOperationException("A list's elements are read whole.");

    /// <summary>Adds the elements so far to <paramref name="list"/> (a new collection the metadata made for a partial).</summary>
    public void FillInto(IList list)
    {
        foreach (object? item in _items)
            list.Add(item);
    }

    public override object? Snapshot()
    {
        var list = (IList)(_list.CreateObject?.Invoke() ?? JsonSerializer.Deserialize("[]"u8, _list)!);
        foreach (object? item in _items)
            list.Add(item);
        return list;
    }

    public override object? Finish() => Snapshot();
}
