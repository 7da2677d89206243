namespace AotGateway.Infrastructure;

/// <summary>
/// Which bytes a stream's views may still read. The stream's byte owner moves it on before it hands any bytes back
/// (and when the stream ends), so every view stamped with an earlier value knows it is stale. A snapshot's
/// generation never moves.
/// </summary>
internal sealed class ViewGeneration
{
    public int Value { get; private set; }

    public void Advance() => Value++;
}
