using System;

namespace AotGateway;

/// <summary>
/// Servers repeat the members before <c>choices</c> byte for byte in every chunk of a stream (<c>id</c>,
/// <c>object</c>, <c>created</c>, <c>model</c>, <c>system_fingerprint</c>, …): on a text stream they are two
/// thirds of each payload. Once the fast path has read such a prefix and found only plain slices in it, this
/// keeps a copy of the bytes and where each field lay. A later chunk that starts with the same bytes has the
/// same fields at the same offsets, so one vectorised compare replaces scanning them again.
/// </summary>
internal sealed class ChunkHeader
{
    // A prefix longer than this is not remembered: real ones are ~200 bytes, and memory stays bounded.
    private const int MaxLength = 1024;

    private readonly byte[] _bytes = new byte[MaxLength];
    private (int Start, int Length) _id, _model, _fingerprint, _tier;
    private long? _created;

    /// <summary>The length of the remembered prefix (0 when none): where reading resumes, at the <c>"choices"</c> name.</summary>
    public int Length { get; private set; }

    /// <summary>Sets the header fields from <paramref name="payload"/> if it starts with the remembered prefix.</summary>
    public bool TryApply(ReadOnlyMemory<byte> payload, ChunkData update)
    {
        if (Length == 0 || payload.Length <= Length || !payload.Span[..Length].SequenceEqual(_bytes.AsSpan(0, Length)))
            return false;
        update.IdMemory = payload.Slice(_id.Start, _id.Length);
        update.ModelMemory = payload.Slice(_model.Start, _model.Length);
        update.SystemFingerprintMemory = payload.Slice(_fingerprint.Start, _fingerprint.Length);
        update.ServiceTierMemory = payload.Slice(_tier.Start, _tier.Length);
        update.CreatedUnixSeconds = _created;
        return true;
    }

    /// <summary>
    /// Remembers the first <paramref name="length"/> bytes of <paramref name="payload"/>, whose fields the fast
    /// path has just read into <paramref name="update"/> as slices of the payload.
    /// </summary>
    public void Remember(ReadOnlyMemory<byte> payload, int length, ChunkData update)
    {
        if (length > MaxLength)
        {
            Length = 0;
            return;
        }
        ReadOnlySpan<byte> span = payload.Span;
        span[..length].CopyTo(_bytes);
        _id = OffsetIn(span, update.IdMemory.Span);
        _model = OffsetIn(span, update.ModelMemory.Span);
        _fingerprint = OffsetIn(span, update.SystemFingerprintMemory.Span);
        _tier = OffsetIn(span, update.ServiceTierMemory.Span);
        _created = update.CreatedUnixSeconds;
        Length = length;
    }

    private static (int Start, int Length) OffsetIn(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> slice) =>
        !slice.IsEmpty && payload.Overlaps(slice, out int offset) ? (offset, slice.Length) : (0, 0);
}
