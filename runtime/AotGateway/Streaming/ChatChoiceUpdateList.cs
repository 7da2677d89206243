using System;

namespace AotGateway;

/// <summary>The choices one <see cref="ChatUpdate"/> updates; a view valid as long as its update is.</summary>
public readonly struct ChatChoiceUpdateList
{
    private readonly ViewStamp _stamp;

    internal ChatChoiceUpdateList(ViewStamp stamp) => _stamp = stamp;

    private ChunkData Data => _stamp.Current;

    /// <summary>How many choices the chunk updates.</summary>
    public int Count => Data.ChoiceCount;

    /// <summary>The choice update at <paramref name="index"/> (its position in the chunk, not its choice index).</summary>
    public ChatChoiceUpdate this[int index]
    {
        get
        {
            ChunkData data = Data;
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, data.ChoiceCount);
            return new ChatChoiceUpdate(data.ChoiceAt(index), _stamp);
        }
    }

    /// <summary>Enumerates the choice updates without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates a <see cref="ChatChoiceUpdateList"/> without allocating.</summary>
    public struct Enumerator
    {
        private readonly ChatChoiceUpdateList _list;
        private int _index;

        internal Enumerator(ChatChoiceUpdateList list)
        {
            _list = list;
            _index = -1;
        }

        /// <summary>The current choice update.</summary>
        public readonly ChatChoiceUpdate Current => _list[_index];

        /// <summary>Moves to the next choice update.</summary>
        public bool MoveNext() => ++_index < _list.Count;
    }
}
