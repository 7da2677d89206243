using System;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// What one chunk of a stream holds. One instance is reused for every chunk of a stream, its texts pointing into
/// the stream's buffers; the stream's byte owner moves its <see cref="ViewGeneration"/> on before those buffers go
/// back, so a <see cref="ChatUpdate"/> kept past its chunk knows it is stale.
/// </summary>
internal sealed class ChunkData : ChunkPart
{
    private readonly ViewGeneration _generation;
    private ChoiceData[] _choices = [];
    private int _choiceCount;
    private bool _isSnapshot;

    /// <summary>Data with a generation of its own, which nothing moves on (a snapshot, a test's reader).</summary>
    internal ChunkData()
        : this(new ViewGeneration())
    {
    }

    /// <summary>Data whose views go stale when the stream's byte owner moves <paramref name="generation"/> on.</summary>
    internal ChunkData(ViewGeneration generation)
        : base(TextSlots.FirstHeader, TextSlots.LastHeader) => _generation = generation;

    /// <summary>Which bytes the data may read: a view stamped with an earlier value is stale.</summary>
    internal int Version => _generation.Value;

    /// <summary>When the completion was created, as Unix seconds, when sent.</summary>
    public long? CreatedUnixSeconds { get; set; }

    /// <summary>Token usage; set on the usage chunk at the end of a stream that asked for it.</summary>
    public ChatUsage? Usage { get; set; }

    public int ChoiceCount => _choiceCount;

    public ChoiceData ChoiceAt(int index) => _choices[index];

    /// <summary>The choices this chunk updates (empty on a usage-only chunk).</summary>
    public ReadOnlySpan<ChoiceData> Choices => _choices.AsSpan(0, _choiceCount);

    /// <summary>The first choice, the one the shortcuts on <see cref="ChatUpdate"/> read, or null.</summary>
    public ChoiceData? FirstChoice => _choiceCount > 0 ? _choices[0] : null;

    /// <summary>A copy that owns its bytes and is never reset, for <see cref="ChatUpdate.ToSnapshot"/>.</summary>
    public ChunkData Clone()
    {
        var copy = new ChunkData { CreatedUnixSeconds = CreatedUnixSeconds, Usage = Usage, _isSnapshot = true };
        CopyTextsTo(copy);
        if (_choiceCount > 0)
        {
            copy._choices = new ChoiceData[_choiceCount];
            for (int i = 0; i < _choiceCount; i++)
                copy._choices[i] = _choices[i].Clone();
            copy._choiceCount = _choiceCount;
        }
        return copy;
    }

    public ChoiceData AddChoice()
    {
        if (_choiceCount == _choices.Length)
            Array.Resize(ref _choices, Math.Max(1, _choices.Length * 2));
        ChoiceData choice = _choices[_choiceCount] ??= new ChoiceData();
        choice.Reset();
        _choiceCount++;
        return choice;
    }

    public void Reset()
    {
        // A snapshot is the caller's to keep; reading a chunk into one would be a bug of ours, not bad server data.
        if (_isSnapshot)
            throw new InvalidOperationException("A snapshot of an update is never read into again.");
        ClearTexts();
        _choiceCount = 0;
        CreatedUnixSeconds = null;
        Usage = null;
    }
}
