using System;

namespace AotGateway;

/// <summary>Sees each chunk a <see cref="ChatStream"/> accepts, in order, before the caller does.</summary>
internal abstract class ChunkObserver : IDisposable
{
    public abstract void Add(ChunkData chunk);

    public abstract void Dispose();
}
