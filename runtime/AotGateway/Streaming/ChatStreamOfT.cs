using System.Threading;
using System.Threading.Tasks;
using AotGateway.Http;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// A streamed structured reply: a <see cref="ChatStream"/> that also shows the <typeparamref name="T"/> it holds so
/// far. While you enumerate the updates, <see cref="Partial"/> is the object filled with every member whose value
/// has arrived whole (a list holds its whole elements; a nested object is partial in the same way) and
/// <see cref="PartialChanged"/> says whether the last update changed it; <see cref="ToObjectAsync"/> reads the
/// whole reply strictly, as <see cref="GatewayClient.CompleteAsync{T}(ChatRequest, CancellationToken)"/> does.
/// </summary>
/// <typeparam name="T">The reply's type.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A stream of chat updates, not a System.IO.Stream; the name is what users look for.")]
public sealed class ChatStream<T> : ChatStream
{
    private readonly PartialObjectReader<T> _partial;

    internal ChatStream(GatewayTransport transport, ChatRequest request, PooledBufferWriter body, string model, string[] fallbacks, StreamSettings settings, PartialObjectReader<T> partial, CancellationToken cancellation)
        : base(transport, request, body, model, fallbacks, settings, partial, cancellation) => _partial = partial;

    /// <summary>
    /// The object so far: members whose value has not arrived whole hold their defaults (<see langword="null"/>,
    /// zero), and a member once set keeps its value. The default until the first member is whole. Each partial
    /// is a new object (made when read, at most once per update) that later updates never change.
    /// </summary>
    public T? Partial => _partial.Current;

    /// <summary>Whether the last update made a member, an element or a nested object's member whole.</summary>
    public bool PartialChanged => _partial.Changed;

    /// <summary>Reads the rest of the stream and returns the reply read strictly as a <typeparamref name="T"/>.</summary>
    /// <exception cref="GatewayStructuredOutputException">The model refused, or the reply does not fit <typeparamref name="T"/> (the text is kept).</exception>
    public async Task<T> ToObjectAsync(CancellationToken cancellationToken = default)
    {
        ChatCompletion completion = await ToCompletionAsync(cancellationToken).ConfigureAwait(false);
        return _partial.Parse(completion);
    }
}
