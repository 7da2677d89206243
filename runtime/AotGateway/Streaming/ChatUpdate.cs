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

    private ChatUpdate(ViewStamp stamp) => _stamp = stamp;

    /// <summary>A view of data whose bytes are gone: every read throws as a kept view's would.</summary>
    internal static ChatUpdate Stale(ChunkData data) => new(new ViewStamp(data, data.Version - 1));

    /// <summary>The chunk's data, if this view is still current.</summary>
    internal ChunkData Data => _stamp.Current;

    /// <summary>The completion id as UTF-8 (the same on every chunk of a stream).</summary>
    public ReadOnlySpan<byte> IdUtf8 => Data.Text(TextSlot.Id);

    /// <summary>The model name as UTF-8.</summary>
    public ReadOnlySpan<byte> ModelUtf8 => Data.Text(TextSlot.Model);

    /// <summary>The system fingerprint as UTF-8, when sent.</summary>
    public ReadOnlySpan<byte> SystemFingerprintUtf8 => Data.Text(TextSlot.SystemFingerprint);

    /// <summary>The service tier as UTF-8, when sent.</summary>
    public ReadOnlySpan<byte> ServiceTierUtf8 => Data.Text(TextSlot.ServiceTier);

    /// <summary>The completion id. Allocates a string.</summary>
    public string Id => Encoding.UTF8.GetString(IdUtf8);

    /// <summary>The model name. Allocates a string.</summary>
    public string Model => Encoding.UTF8.GetString(ModelUtf8);

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
    public ReadOnlySpan<byte> ContentUtf8 => Data.FirstChoice is { } first ? first.Text(TextSlot.Content) : default;

    /// <summary>The reasoning text this chunk adds to its first choice, as UTF-8.</summary>
    public ReadOnlySpan<byte> ReasoningUtf8 => Data.FirstChoice is { } first ? first.Text(TextSlot.Reasoning) : default;

    /// <summary>The text this chunk adds to its first choice, or <see langword="null"/>. Allocates a string.</summary>
    public string? Content => Data.FirstChoice?.String(TextSlot.Content);

    /// <summary>The reasoning text this chunk adds to its first choice, or <see langword="null"/>. Allocates a string.</summary>
    public string? Reasoning => Data.FirstChoice?.String(TextSlot.Reasoning);

    /// <summary>The first choice's finish reason, on its last chunk.</summary>
    public string? FinishReason => Data.FirstChoice?.FinishReason;

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
