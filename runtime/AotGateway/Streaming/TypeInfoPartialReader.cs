using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

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

    protected override T? Build() => (T?)_builder!.Snapshot();

    protected override T? ReadWhole(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, _typeInfo);

    public override T Parse(ChatCompletion completion) => completion.ParseContent(_typeInfo);
}
