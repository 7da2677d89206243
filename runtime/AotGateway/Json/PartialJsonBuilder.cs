using System;
using System.ComponentModel;
using System.Text.Json;

namespace AotGateway;

/// <summary>
/// Fills a value as its JSON arrives, for partial objects of a streamed structured reply
/// (<see cref="ChatStream{T}.Partial"/>). Generated code implements it for each <see cref="GatewayJsonAttribute"/>
/// type; the library drives it. A member is handed over once its value is whole, except an object or list member,
/// which may be filled by a builder of its own while it arrives.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class PartialJsonBuilder
{
    /// <summary>
    /// A member's value (or, in a list, an element) starts with <c>{</c> or <c>[</c>: a builder that fills it as it
    /// arrives, or <see langword="null"/> to be handed the value whole once it ends.
    /// </summary>
    /// <param name="name">The member's name, unescaped; empty for a list's element.</param>
    /// <param name="isArray">Whether the value starts with <c>[</c>.</param>
    public abstract PartialJsonBuilder? OpenMember(ReadOnlySpan<byte> name, bool isArray);

    /// <summary>A member's (or element's) value is whole; <paramref name="reader"/> stands on its first token.</summary>
    /// <exception cref="GatewayJsonException">The value does not fit the member.</exception>
    public abstract void CompleteMember(ReadOnlySpan<byte> name, ref Utf8JsonReader reader);

    /// <summary>
    /// A string member still arriving, when strings are shown as they grow: <paramref name="textSoFar"/> holds its
    /// text so far (escapes decoded; one cut at the end is left out until whole). The builder may show it until the
    /// member is whole (<see cref="CompleteMember"/>, after which it must not keep the builder); it is reused for
    /// the next string. The default ignores it.
    /// </summary>
    public virtual void GrowString(ReadOnlySpan<byte> name, System.Text.StringBuilder textSoFar)
    {
    }

    /// <summary>As <see cref="CompleteMember"/>, with the value's text too (for the library's own builders, which keep it).</summary>
    internal virtual void CompleteMemberText(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref Utf8JsonReader reader) =>
        CompleteMember(name, ref reader);

    /// <summary>The value a builder returned by <see cref="OpenMember"/> filled has ended.</summary>
    /// <exception cref="GatewayJsonException">The value does not fit the member (a required member of it is missing).</exception>
    public abstract void CloseMember(ReadOnlySpan<byte> name, PartialJsonBuilder child);
}

/// <summary>A <see cref="PartialJsonBuilder"/> whose value is a <typeparamref name="T"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class PartialJsonBuilder<T> : PartialJsonBuilder
{
    /// <summary>The value so far: members not yet whole hold their defaults; open members their own value so far.</summary>
    public abstract T Snapshot();

    /// <summary>The whole value, checked as the type's reader checks it.</summary>
    /// <exception cref="GatewayJsonException">A required member never arrived.</exception>
    public abstract T Finish();
}
