using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// Partial objects of a type System.Text.Json knows, built member by member from its metadata
/// (<see cref="TypeInfoPartialBuilder"/>); a type no placeholder template reads (a required member no simple value
/// fits) is read whole from the whole part of the text for each partial instead: exact, but slower on long replies.
/// </summary>
internal sealed class TypeInfoPartialReader<T> : PartialObjectReader<T>
{
    private readonly JsonTypeInfo<T> _typeInfo;
    private readonly PartialJsonBuilder<object?>? _builder;

    public TypeInfoPartialReader(JsonTypeInfo<T> typeInfo)
        : this(typeInfo, typeInfo.Kind == JsonTypeInfoKind.Object ? TypeInfoPartialBuilder.For(typeInfo) : null)
    {
    }

    private TypeInfoPartialReader(JsonTypeInfo<T> typeInfo, PartialJsonBuilder<object?>? builder)
        : base(builder)
    {
        _typeInfo = typeInfo;
        _builder = builder;
    }

    protected override bool TrySnapshot(out T? value)
    {
        value = default;
        if (_builder is not null)
        {
            try
            {
                value = (T?)_builder.Snapshot();
                return value is not null;
            }
            catch (JsonException)
            {
                // A partial the metadata refuses (a converter's own rule, say): the last one stands.
                return false;
            }
        }
        using var prefix = new PooledBufferWriter(1024);
        if (!Tracker.WriteClosedPrefix(prefix))
            return false;
        try
        {
            value = JsonSerializer.Deserialize(prefix.WrittenSpan, _typeInfo);
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

    public override T Parse(ChatCompletion completion) => completion.ParseContent(_typeInfo);
}
