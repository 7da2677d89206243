using System;
using System.Text.Json;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// The object a structured reply holds so far, from the first choice's text as it streams. A new partial is made
/// only when it is asked for and something became whole since the last one: one per update at most.
/// </summary>
internal abstract class PartialObjectReader<T>
{
    private T? _current;
    private bool _dirty;

    private readonly bool _builds;

    /// <param name="root">Fills the object member by member; null to read each partial from the whole part of the text.</param>
    protected PartialObjectReader(PartialJsonBuilder? root)
    {
        Tracker = new PartialJsonTracker(root);
        _builds = root is not null;
    }

    protected PartialJsonTracker Tracker { get; }

    /// <summary>Whether a string member still arriving is shown with its text so far.</summary>
    public bool GrowStrings
    {
        get => Tracker.GrowStrings;
        set => Tracker.GrowStrings = value;
    }

    /// <summary>Whether the last chunk made something whole.</summary>
    public bool Changed { get; private set; }

    /// <summary>Takes one chunk: the first choice's text, if it has any.</summary>
    public void Add(ChunkData chunk)
    {
        Changed = false;
        foreach (ChoiceData choice in chunk.Choices)
        {
            if (choice.Index == 0)
                AddText(choice.Text(TextSlot.Content));
        }
    }

    /// <summary>Takes the next piece of the reply's text.</summary>
    public void AddText(ReadOnlySpan<byte> text)
    {
        Tracker.Append(text);
        Changed = Tracker.Changed;
        if (Tracker.Changed)
        {
            Tracker.Changed = false;
            _dirty = true;
        }
    }

    /// <summary>The object so far; the default until its first member is whole.</summary>
    public T? Current
    {
        get
        {
            if (_dirty)
            {
                _dirty = false;
                if (TrySnapshot(out T? value))
                    _current = value;
            }
            return _current;
        }
    }

    /// <summary>A new partial from what is whole; false when none can be made from it (the last one stands).</summary>
    private bool TrySnapshot(out T? value)
    {
        value = default;
        try
        {
            if (_builds)
            {
                value = Build();
            }
            else
            {
                using var prefix = new PooledBufferWriter(1024);
                if (!Tracker.WriteClosedPrefix(prefix))
                    return false;
                value = ReadWhole(prefix.WrittenSpan);
            }
            return value is not null;
        }
        catch (JsonException)
        {
            // A required member not yet arrived, or a value a converter refuses: the last partial stands.
            return false;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The partial from the root builder given to the constructor.</summary>
    protected abstract T? Build();

    /// <summary>The partial read from the whole part of the text, closed (when there is no builder).</summary>
    protected abstract T? ReadWhole(ReadOnlySpan<byte> json);

    /// <summary>The whole reply read strictly, as the non-streaming call reads it.</summary>
    public abstract T Parse(ChatCompletion completion);

    /// <summary>The reply's text cut after its last whole value and closed: JSON holding what <see cref="Current"/> holds.</summary>
    public string? Json => Tracker.ClosedPrefixString();

    /// <summary>
    /// The last partial is made now. The text stays (it is not handed back to the pool), so <see cref="Json"/> can
    /// still be read after the stream; it is no larger than the stream's byte limit allowed.
    /// </summary>
    public void End() => _ = Current;
}
