using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// Partial objects of a type System.Text.Json knows. An object its metadata can create empty and fill through
/// setters is filled member by member (<see cref="TypeInfoPartialBuilder"/>); any other (a record, built through
/// its constructor) is read whole from the whole part of the text for each partial: exact, but slower on long
/// replies, and a required member not yet arrived leaves the last partial standing.
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
            value = (T?)_builder.Snapshot();
            return value is not null;
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
