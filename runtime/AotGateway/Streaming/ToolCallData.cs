using System;
using System.Text;

namespace AotGateway;

/// <summary>
/// A fragment of a tool call in a stream. Fragments with the same <see cref="Index"/> build one call: the
/// first usually carries the id and name, later ones pieces of the arguments. Valid until the next update.
/// </summary>
internal sealed class ToolCallData
{
    internal ReadOnlyMemory<byte> IdMemory;
    internal ReadOnlyMemory<byte> NameMemory;
    internal ReadOnlyMemory<byte> ArgumentsMemory;
    internal bool HasIdValue;
    internal bool HasNameValue;

    internal ToolCallData()
    {
    }

    internal ToolCallData Clone() => new()
    {
        Index = Index,
        IdMemory = IdMemory.ToArray(),
        NameMemory = NameMemory.ToArray(),
        ArgumentsMemory = ArgumentsMemory.ToArray(),
        HasIdValue = HasIdValue,
        HasNameValue = HasNameValue,
    };

    /// <summary>Which call of the choice this fragment belongs to.</summary>
    public int Index { get; internal set; }

    /// <summary>The call id as UTF-8, when this fragment carries it.</summary>
    public ReadOnlySpan<byte> IdUtf8 => IdMemory.Span;

    /// <summary>The function name as UTF-8, when this fragment carries it.</summary>
    public ReadOnlySpan<byte> NameUtf8 => NameMemory.Span;

    /// <summary>This fragment of the arguments' JSON text, as UTF-8.</summary>
    public ReadOnlySpan<byte> ArgumentsUtf8 => ArgumentsMemory.Span;

    /// <summary>Whether this fragment carries the call id.</summary>
    public bool HasId => HasIdValue;

    /// <summary>Whether this fragment carries the function name.</summary>
    public bool HasName => HasNameValue;

    /// <summary>The call id, or <see langword="null"/>. Allocates a string.</summary>
    public string? Id => HasIdValue ? Encoding.UTF8.GetString(IdMemory.Span) : null;

    /// <summary>The function name, or <see langword="null"/>. Allocates a string.</summary>
    public string? Name => HasNameValue ? Encoding.UTF8.GetString(NameMemory.Span) : null;

    /// <summary>This fragment of the arguments. Allocates a string.</summary>
    public string Arguments => Encoding.UTF8.GetString(ArgumentsMemory.Span);

    internal void Reset()
    {
        Index = 0;
        IdMemory = default;
        NameMemory = default;
        ArgumentsMemory = default;
        HasIdValue = false;
        HasNameValue = false;
    }
}
