namespace AotGateway;

/// <summary>Sees each chunk a <see cref="ChatStream"/> accepts, in order, before the caller does, and the stream's end.</summary>
internal abstract class ChunkObserver
{
    public abstract void Add(ChunkData chunk);

    /// <summary>The stream is over; <paramref name="whole"/> when it ended normally (not failed, not left early).</summary>
    public abstract void End(bool whole, string? requestId);
}
