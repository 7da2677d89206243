namespace AotGateway;

/// <summary>
/// What a structured stream keeps as its updates pass: the partial object, and the reply folded as
/// <see cref="ChatStream.ToCompletionAsync"/> folds it, so the final object can be read strictly however the
/// caller read the updates.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The reply is disposed in End, which the stream always calls (its enumerator's DisposeAsync).")]
internal sealed class StructuredObserver<T>(PartialObjectReader<T> partial, int maxBytes) : ChunkObserver
{
    private readonly ChatCompletionAccumulator _reply = new() { MaxBytes = maxBytes };

    public PartialObjectReader<T> Partial { get; } = partial;

    /// <summary>The whole reply, once the stream has ended normally.</summary>
    public ChatCompletion? Completion { get; private set; }

    public override void Add(ChunkData chunk)
    {
        Partial.Add(chunk);
        _reply.Add(new ChatUpdate(chunk));
    }

    public override void End(bool whole, string? requestId)
    {
        Partial.End();
        if (whole)
            Completion = _reply.ToCompletion(requestId);
        _reply.Dispose();
    }
}
