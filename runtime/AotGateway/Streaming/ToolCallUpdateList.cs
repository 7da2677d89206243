using System;

namespace AotGateway;

/// <summary>The tool-call fragments of one <see cref="ChatChoiceUpdate"/>; a view valid as long as its update is.</summary>
public readonly struct ToolCallUpdateList
{
    private readonly ChoiceData _choice;
    private readonly ViewStamp _stamp;

    internal ToolCallUpdateList(ChoiceData choice, ViewStamp stamp)
    {
        _choice = choice;
        _stamp = stamp;
    }

    private ChoiceData Data
    {
        get
        {
            _ = _stamp.Current;
            return _choice;
        }
    }

    /// <summary>How many fragments the choice update holds.</summary>
    public int Count => Data.ToolCallCount;

    /// <summary>The fragment at <paramref name="index"/> (its position in the chunk, not its call index).</summary>
    public ToolCallUpdate this[int index]
    {
        get
        {
            ChoiceData choice = Data;
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, choice.ToolCallCount);
            return new ToolCallUpdate(choice.ToolCallAt(index), _stamp);
        }
    }

    /// <summary>Enumerates the fragments without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates a <see cref="ToolCallUpdateList"/> without allocating.</summary>
    public struct Enumerator
    {
        private readonly ToolCallUpdateList _list;
        private int _index;

        internal Enumerator(ToolCallUpdateList list)
        {
            _list = list;
            _index = -1;
        }

        /// <summary>The current fragment.</summary>
        public readonly ToolCallUpdate Current => _list[_index];

        /// <summary>Moves to the next fragment.</summary>
        public bool MoveNext() => ++_index < _list.Count;
    }
}
