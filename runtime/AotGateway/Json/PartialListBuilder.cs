using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;

namespace AotGateway;

/// <summary>Reads one JSON value, starting on its first token (generated element readers have this shape).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate T GatewayJsonValueReader<T>(ref Utf8JsonReader reader);

/// <summary>
/// A list member as it arrives: each element is read once it is whole; an element still arriving is not shown.
/// Used by generated <see cref="PartialJsonBuilder"/>s.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PartialListBuilder<T> : PartialJsonBuilder<List<T>>
{
    private readonly GatewayJsonValueReader<T> _readElement;
    private readonly List<T> _items = [];

    /// <summary>A list whose elements <paramref name="readElement"/> reads.</summary>
    public PartialListBuilder(GatewayJsonValueReader<T> readElement)
    {
        ArgumentNullException.ThrowIfNull(readElement);
        _readElement = readElement;
    }

    /// <inheritdoc/>
    public override PartialJsonBuilder? OpenMember(ReadOnlySpan<byte> name, bool isArray) => null;

    /// <inheritdoc/>
    public override void CompleteMember(ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
    {
        T item;
        try
        {
            item = _readElement(ref reader);
        }
        catch (GatewayJsonException ex)
        {
            throw ex.WithinIndex(_items.Count);
        }
        _items.Add(item);
    }

    /// <inheritdoc/>
    public override void CloseMember(ReadOnlySpan<byte> name, PartialJsonBuilder child) =>
        throw new InvalidOperationException("A list's elements are read whole.");

    /// <summary>A new list of the elements so far (partials handed out never change afterwards).</summary>
    public override List<T> Snapshot() => new(_items);

    /// <inheritdoc/>
    public override List<T> Finish() => _items;
}
