using System;
using System.Text;

namespace AotGateway;

/// <summary>
/// One chunk of a streamed reply, as a view of the stream's reused buffers: reading its UTF-8 spans
/// allocates nothing (the string properties allocate when called). A view is valid until the stream moves
/// to the next chunk; reading it later throws <see cref="InvalidOperationException"/> rather than show another
/// chunk's data. Keep one with <see cref="ToSnapshot"/>.
/// </summary>
public readonly struct ChatUpdate
{
    private readonly ViewStamp _stamp;

    internal ChatUpdate(ChunkData data) => _stamp = new ViewStamp(data, data.Version);

    /// <summary>The chunk's data, if this view is still current.</summary>
    internal ChunkData Data => _stamp.Current;

    /// <summary>The completion id as UTF-8 (the same on every chunk of a stream).</summary>
    public ReadOnlySpan<byte> IdUtf8 => Data.IdUtf8;

    /// <summary>The model name as UTF-8.</summary>
    public ReadOnlySpan<byte> ModelUtf8 => Data.ModelUtf8;

    /// <summary>The system fingerprint as UTF-8, when sent.</summary>
    public ReadOnlySpan<byte> SystemFingerprintUtf8 => Data.SystemFingerprintUtf8;

    /// <summary>The service tier as UTF-8, when sent.</summary>
    public ReadOnlySpan<byte> ServiceTierUtf8 => Data.ServiceTierUtf8;

    /// <summary>The completion id. Allocates a string.</summary>
    public string Id => Encoding.UTF8.GetString(Data.IdUtf8);

    /// <summary>The model name. Allocates a string.</summary>
    public string Model => Encoding.UTF8.GetString(Data.ModelUtf8);

    /// <summary>When the completion was created, when sent (as <see cref="ChatCompletion.Created"/>).</summary>
    public DateTimeOffset? Created => Data.CreatedUnixSeconds is { } seconds ? ChatCompletionReader.FromUnixSeconds(seconds) : null;

    /// <summary>Token usage; set on the usage chunk at the end of a stream that asked for it.</summary>
    public ChatUsage? Usage => Data.Usage;

    /// <summary>The choices this chunk updates (empty on a usage-only chunk).</summary>
    public ChatChoiceUpdateList Choices
    {
        get
        {
            _ = _stamp.Current;
            return new(_stamp);
        }
    }

    /// <summary>The text this chunk adds to its first choice, as UTF-8 (empty when none).</summary>
    public ReadOnlySpan<byte> ContentUtf8 => Data.ContentUtf8;

    /// <summary>The reasoning text this chunk adds to its first choice, as UTF-8.</summary>
    public ReadOnlySpan<byte> ReasoningUtf8 => Data.ReasoningUtf8;

    /// <summary>The text this chunk adds to its first choice, or <see langword="null"/>. Allocates a string.</summary>
    public string? Content => Data.Content;

    /// <summary>The reasoning text this chunk adds to its first choice, or <see langword="null"/>. Allocates a string.</summary>
    public string? Reasoning => Data is { ChoiceCount: > 0 } data ? data.ChoiceAt(0).Reasoning : null;

    /// <summary>The first choice's finish reason, on its last chunk.</summary>
    public string? FinishReason => Data.FinishReason;

    /// <summary>
    /// A copy of this chunk that owns its bytes and stays readable after the stream moves on (allocates;
    /// for the few updates worth keeping, not for every one).
    /// </summary>
    public ChatUpdate ToSnapshot() => new(Data.Clone());

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal static void ThrowStale(bool isDefault) => throw new InvalidOperationException(isDefault
        ? "This ChatUpdate is default: updates come from a ChatStream."
        : "This ChatUpdate was read after its stream moved on to the next chunk. Updates are views of one reused buffer " +
          "(so streaming allocates nothing): read what you need inside the loop, or keep update.ToSnapshot().");
}
