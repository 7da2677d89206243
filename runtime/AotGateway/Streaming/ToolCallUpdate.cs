using System;
using System.Text;

namespace AotGateway;

/// <summary>
/// A fragment of a tool call in a stream. Fragments with the same <see cref="Index"/> build one call: the
/// first usually carries the id and name, later ones pieces of the arguments. A view valid as long as its
/// <see cref="ChatUpdate"/> is; reading it later throws.
/// </summary>
public readonly struct ToolCallUpdate
{
    private readonly ToolCallData _call;
    private readonly ViewStamp _stamp;

    internal ToolCallUpdate(ToolCallData call, ViewStamp stamp)
    {
        _call = call;
        _stamp = stamp;
    }

    private ToolCallData Data
    {
        get
        {
            _ = _stamp.Current;
            return _call;
        }
    }

    /// <summary>Which call of the choice this fragment belongs to.</summary>
    public int Index => Data.Index;

    /// <summary>The call id as UTF-8, when this fragment carries it.</summary>
    public ReadOnlySpan<byte> IdUtf8 => Data.Text(TextSlot.ToolCallId);

    /// <summary>The function name as UTF-8, when this fragment carries it.</summary>
    public ReadOnlySpan<byte> NameUtf8 => Data.Text(TextSlot.ToolCallName);

    /// <summary>This fragment of the arguments' JSON text, as UTF-8.</summary>
    public ReadOnlySpan<byte> ArgumentsUtf8 => Data.Text(TextSlot.ToolCallArguments);

    /// <summary>Whether this fragment carries the call id.</summary>
    public bool HasId => Data.Has(TextSlot.ToolCallId);

    /// <summary>Whether this fragment carries the function name.</summary>
    public bool HasName => Data.Has(TextSlot.ToolCallName);

    /// <summary>The call id, or <see langword="null"/>. Allocates a string.</summary>
    public string? Id => Data.String(TextSlot.ToolCallId);

    /// <summary>The function name, or <see langword="null"/>. Allocates a string.</summary>
    public string? Name => Data.String(TextSlot.ToolCallName);

    /// <summary>This fragment of the arguments. Allocates a string.</summary>
    public string Arguments => Encoding.UTF8.GetString(ArgumentsUtf8);
}
