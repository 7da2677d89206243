using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace AotGateway;

/// <summary>
/// Items a stream keys by the index servers give them (choices, tool calls): found in O(1) while chunks
/// arrive, listed in index order at the end. (Not a SortedDictionary: its code weighs ~20 KB in every
/// NativeAOT app, against a Dictionary whose code the HTTP stack already brings.)
/// </summary>
internal sealed class IndexedItems<T>
    where T : class
{
    private readonly Dictionary<int, T> _byIndex = [];

    public int Count => _byIndex.Count;

    public bool TryGetValue(int index, [MaybeNullWhen(false)] out T item) => _byIndex.TryGetValue(index, out item);

    public void Add(int index, T item) => _byIndex.Add(index, item);

    /// <summary>The indexes in ascending order.</summary>
    public int[] SortedIndexes()
    {
        var indexes = new int[_byIndex.Count];
        _byIndex.Keys.CopyTo(indexes, 0);
        indexes.AsSpan().Sort();
        return indexes;
    }

    /// <summary>The item at <paramref name="index"/>, which must be present.</summary>
    public T this[int index] => _byIndex[index];

    /// <summary>Every item, in no particular order.</summary>
    public Dictionary<int, T>.ValueCollection Items => _byIndex.Values;

    public void Clear() => _byIndex.Clear();
}
