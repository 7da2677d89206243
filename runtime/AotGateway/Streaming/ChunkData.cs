using System;
using System.Text;

namespace AotGateway;

/// <summary>
/// What one chunk of a stream holds. One instance is reused for every chunk of a stream, its spans pointing
/// into the stream's buffers; <see cref="Version"/> moves on with every chunk, so a <see cref="ChatUpdate"/>
/// kept past its chunk knows it is stale.
/// </summary>
internal sealed class ChunkData
{
    private ChoiceData[] _choices = [];
    private int _choiceCount;

    internal ReadOnlyMemory<byte> IdMemory;
    internal ReadOnlyMemory<byte> ModelMemory;
    internal ReadOnlyMemory<byte> SystemFingerprintMemory;
    internal ReadOnlyMemory<byte> ServiceTierMemory;

    internal ChunkData()
    {
    }

    /// <summary>Which chunk the data holds; changes on <see cref="Reset"/> and <see cref="Invalidate"/>.</summary>
    internal int Version { get; private set; }

    internal int ChoiceCount => _choiceCount;

    internal ChoiceData ChoiceAt(int index) => _choices[index];

    /// <summary>The stream ended: updates handed out before must not read buffers that are gone.</summary>
    internal void Invalidate() => Version++;

    /// <summary>A copy that owns its bytes and is never reset, for <see cref="ChatUpdate.ToSnapshot"/>.</summary>
    internal ChunkData Clone()
    {
        var copy = new ChunkData
        {
            IdMemory = IdMemory.ToArray(),
            ModelMemory = ModelMemory.ToArray(),
            SystemFingerprintMemory = SystemFingerprintMemory.ToArray(),
            ServiceTierMemory = ServiceTierMemory.ToArray(),
            CreatedUnixSeconds = CreatedUnixSeconds,
            Usage = Usage,
        };
        if (_choiceCount > 0)
        {
            copy._choices = new ChoiceData[_choiceCount];
            for (int i = 0; i < _choiceCount; i++)
                copy._choices[i] = _choices[i].Clone();
            copy._choiceCount = _choiceCount;
        }
        return copy;
    }

    /// <summary>The completion id as UTF-8 (the same on every chunk of a stream).</summary>
    public ReadOnlySpan<byte> IdUtf8 => IdMemory.Span;

    /// <summary>The model name as UTF-8.</summary>
    public ReadOnlySpan<byte> ModelUtf8 => ModelMemory.Span;

    /// <summary>The system fingerprint as UTF-8, when sent.</summary>
    public ReadOnlySpan<byte> SystemFingerprintUtf8 => SystemFingerprintMemory.Span;

    /// <summary>The service tier as UTF-8, when sent.</summary>
    public ReadOnlySpan<byte> ServiceTierUtf8 => ServiceTierMemory.Span;

    /// <summary>The completion id. Allocates a string.</summary>
    public string Id => Encoding.UTF8.GetString(IdMemory.Span);

    /// <summary>The model name. Allocates a string.</summary>
    public string Model => Encoding.UTF8.GetString(ModelMemory.Span);

    /// <summary>When the completion was created, as Unix seconds, when sent.</summary>
    public long? CreatedUnixSeconds { get; internal set; }

    /// <summary>Token usage; set on the usage chunk at the end of a stream that asked for it.</summary>
    public ChatUsage? Usage { get; internal set; }

    /// <summary>The choices this chunk updates (empty on a usage-only chunk).</summary>
    public ReadOnlySpan<ChoiceData> Choices => _choices.AsSpan(0, _choiceCount);

    /// <summary>The text this chunk adds to its first choice, as UTF-8 (empty when none).</summary>
    public ReadOnlySpan<byte> ContentUtf8 => _choiceCount > 0 ? _choices[0].ContentUtf8 : default;

    /// <summary>The reasoning text this chunk adds to its first choice, as UTF-8.</summary>
    public ReadOnlySpan<byte> ReasoningUtf8 => _choiceCount > 0 ? _choices[0].ReasoningUtf8 : default;

    /// <summary>The text this chunk adds to its first choice, or <see langword="null"/>. Allocates a string.</summary>
    public string? Content => _choiceCount > 0 ? _choices[0].Content : null;

    /// <summary>The first choice's finish reason, on its last chunk.</summary>
    public string? FinishReason => _choiceCount > 0 ? _choices[0].FinishReason : null;

    internal ChoiceData AddChoice()
    {
        if (_choiceCount == _choices.Length)
            Array.Resize(ref _choices, Math.Max(1, _choices.Length * 2));
        ChoiceData choice = _choices[_choiceCount] ??= new ChoiceData();
        choice.Reset();
        _choiceCount++;
        return choice;
    }

    internal void Reset()
    {
        Version++;
        _choiceCount = 0;
        IdMemory = default;
        ModelMemory = default;
        SystemFingerprintMemory = default;
        ServiceTierMemory = default;
        CreatedUnixSeconds = null;
        Usage = null;
    }
}
