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
        if (!IsAscending(indexes))
            HeapSort(indexes);
        return indexes;
    }

    /// <summary>The item at <paramref name="index"/>, which must be present.</summary>
    public T this[int index] => _byIndex[index];

    /// <summary>Every item, in no particular order.</summary>
    public Dictionary<int, T>.ValueCollection Items => _byIndex.Values;

    public void Clear() => _byIndex.Clear();

    private static bool IsAscending(ReadOnlySpan<int> values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i - 1] > values[i])
                return false;
        }
        return true;
    }

    // A heap sort rather than Span.Sort: the BCL's generic sort for int adds ~4 KB to every NativeAOT app, for
    // lists that arrive in order nearly always. O(n log n) still, since a hostile stream can send any order.
    private static void HeapSort(Span<int> values)
    {
        for (int root = values.Length / 2 - 1; root >= 0; root--)
            SiftDown(values, root, values.Length);
        for (int end = values.Length - 1; end > 0; end--)
        {
            (values[0], values[end]) = (values[end], values[0]);
            SiftDown(values, 0, end);
        }
    }

    private static void SiftDown(Span<int> heap, int root, int length)
    {
        while (true)
        {
            int child = 2 * root + 1;
            if (child >= length)
                return;
            if (child + 1 < length && heap[child + 1] > heap[child])
                child++;
            if (heap[root] >= heap[child])
                return;
            (heap[root], heap[child]) = (heap[child], heap[root]);
            root = child;
        }
    }
}
