using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// Partial objects of a type System.Text.Json knows: the whole part of the text so far, closed, read with the
/// type's metadata. Slower than the generated path (each partial reads the text so far), but exact: a required
/// member not yet arrived leaves the last partial standing.
/// </summary>
internal sealed class TypeInfoPartialReader<T>(JsonTypeInfo<T> typeInfo) : PartialObjectReader<T>(root: null)
{
    protected override bool TrySnapshot(out T? value)
    {
        value = default;
        using var prefix = new PooledBufferWriter(1024);
        if (!Tracker.WriteClosedPrefix(prefix))
            return false;
        try
        {
            value = JsonSerializer.Deserialize(prefix.WrittenSpan, typeInfo);
            return value is not null;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }

    public override T Parse(ChatCompletion completion) => completion.ParseContent(typeInfo);
}
