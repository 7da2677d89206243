using System;
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
    private readonly StructuredObserver<T> _observer;

    internal ChatStream(GatewayTransport transport, ChatRequest request, PooledBufferWriter body, string model, string[] fallbacks, StreamSettings settings, PartialObjectReader<T> partial, CancellationToken cancellation)
        : this(transport, request, body, model, fallbacks, settings, new StructuredObserver<T>(partial, settings.MaxStreamedBytes), cancellation)
    {
    }

    private ChatStream(GatewayTransport transport, ChatRequest request, PooledBufferWriter body, string model, string[] fallbacks, StreamSettings settings, StructuredObserver<T> observer, CancellationToken cancellation)
        : base(transport, request, body, model, fallbacks, settings, observer, cancellation) => _observer = observer;

    /// <summary>
    /// The object so far: members whose value has not arrived whole hold their defaults (<see langword="null"/>,
    /// zero), and a member once set keeps its value. The default until the first member is whole. Each partial
    /// is a new object (made when read, at most once per update) that later updates never change.
    /// </summary>
    public T? Partial => _observer.Partial.Current;

    /// <summary>
    /// The reply's text so far cut after its last whole member or element and closed with the brackets it needs:
    /// JSON holding what <see cref="Partial"/> holds, as the model wrote it (members the type ignores included), for a
    /// client that renders JSON or to forward. <see langword="null"/> before the reply's object opens; a new string each time it is read.
    /// </summary>
    public string? PartialJson => _observer.Partial.Json;

    /// <summary>
    /// Show a string member while it arrives, with its text so far (an escape cut at the end is left out until
    /// whole), rather than once it is whole; the text then only grows until the member is whole. Off by default:
    /// each partial then copies the growing text. Set it before reading the stream. A string in a list is still
    /// shown only as a whole element.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set after reading began.</exception>
    public bool ShowStringsAsTheyGrow
    {
        get => _observer.Partial.GrowStrings;
        set
        {
            if (EnumerationStarted)
                throw new InvalidOperationException("Set ShowStringsAsTheyGrow before reading the stream.");
            _observer.Partial.GrowStrings = value;
        }
    }

    /// <summary>Whether the last update made a member, an element or a nested object's member whole (or, with <see cref="ShowStringsAsTheyGrow"/>, grew a string).</summary>
    public bool PartialChanged => _observer.Partial.Changed;

    /// <summary>
    /// The reply read strictly as a <typeparamref name="T"/>: reads the stream to its end first if you have not
    /// enumerated it, or, after you have read every update, reads what they added up to.
    /// </summary>
    /// <exception cref="GatewayStructuredOutputException">The model refused, or the reply does not fit <typeparamref name="T"/> (the text is kept).</exception>
    /// <exception cref="InvalidOperationException">The updates are being read, or their reading stopped before the end.</exception>
    public async Task<T> ToObjectAsync(CancellationToken cancellationToken = default)
    {
        if (!EnumerationStarted)
        {
            // The observer folds each update as it passes; nothing else is needed of them.
            await foreach (ChatUpdate _ in WithToken(cancellationToken).ConfigureAwait(false))
            {
            }
        }
        ChatCompletion completion = _observer.Completion ?? throw new InvalidOperationException(
            "The stream's updates are still being read, or their reading stopped before the end: call ToObjectAsync after reading every update, or instead of reading them.");
        completion.HeaderView = HeaderView;
        return _observer.Partial.Parse(completion);
    }
}
