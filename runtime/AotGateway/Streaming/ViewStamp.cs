namespace AotGateway;

/// <summary>
/// Which chunk a stream view (<see cref="ChatUpdate"/> and the views reached from it) was made for. Reading a
/// view checks it: one kept past its chunk throws instead of showing the next chunk's data.
/// </summary>
internal readonly struct ViewStamp
{
    private readonly ChunkData _owner;
    private readonly int _version;

    public ViewStamp(ChunkData owner, int version)
    {
        _owner = owner;
        _version = version;
    }

    /// <summary>The chunk's data, when the view is still current.</summary>
    public ChunkData Current
    {
        get
        {
            if (_owner is null || _owner.Version != _version)
                ChatUpdate.ThrowStale(_owner is null);
            return _owner;
        }
    }
}
