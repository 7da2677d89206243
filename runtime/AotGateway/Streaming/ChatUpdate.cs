using System;
using System.Text;

namespace AotGateway;

/// <summary>
/// One chunk of a streamed reply. The same instance is reused for every chunk of a stream, and its spans
/// point into the stream's buffers: read what you need before moving to the next update, or copy it.
/// Reading the UTF-8 spans allocates nothing; the string properties allocate when called.
/// </summary>
public sealed class ChatUpdate
{
    private ChatChoiceUpdate[] _choices = [];
    private int _choiceCount;

    internal ReadOnlyMemory<byte> IdMemory;
    internal ReadOnlyMemory<byte> ModelMemory;
    internal ReadOnlyMemory<byte> SystemFingerprintMemory;
    internal ReadOnlyMemory<byte> ServiceTierMemory;

    internal ChatUpdate()
    {
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
    public ReadOnlySpan<ChatChoiceUpdate> Choices => _choices.AsSpan(0, _choiceCount);

    /// <summary>The text this chunk adds to its first choice, as UTF-8 (empty when none).</summary>
    public ReadOnlySpan<byte> ContentUtf8 => _choiceCount > 0 ? _choices[0].ContentUtf8 : default;

    /// <summary>The reasoning text this chunk adds to its first choice, as UTF-8.</summary>
    public ReadOnlySpan<byte> ReasoningUtf8 => _choiceCount > 0 ? _choices[0].ReasoningUtf8 : default;

    /// <summary>The text this chunk adds to its first choice, or <see langword="null"/>. Allocates a string.</summary>
    public string? Content => _choiceCount > 0 ? _choices[0].Content : null;

    /// <summary>The first choice's finish reason, on its last chunk.</summary>
    public string? FinishReason => _choiceCount > 0 ? _choices[0].FinishReason : null;

    internal ChatChoiceUpdate AddChoice()
    {
        if (_choiceCount == _choices.Length)
            Array.Resize(ref _choices, Math.Max(1, _choices.Length * 2));
        ChatChoiceUpdate choice = _choices[_choiceCount] ??= new ChatChoiceUpdate();
        choice.Reset();
        _choiceCount++;
        return choice;
    }

    internal void Reset()
    {
        _choiceCount = 0;
        IdMemory = default;
        ModelMemory = default;
        SystemFingerprintMemory = default;
        ServiceTierMemory = default;
        CreatedUnixSeconds = null;
        Usage = null;
    }
}
