using System;

namespace AotGateway;

/// <summary>
/// Partial objects of a generated type, filled member by member by the type's generated builder; a type without
/// one (its <see cref="IGatewayJson{TSelf}"/> written by hand) is read from the whole part of the text instead.
/// </summary>
internal sealed class GeneratedPartialReader<T> : PartialObjectReader<T> where T : IGatewayJson<T>
{
    private readonly PartialJsonBuilder<T>? _builder;

    private GeneratedPartialReader(PartialJsonBuilder<T>? builder)
        : base(builder) => _builder = builder;

    public static GeneratedPartialReader<T> Create() => new(T.CreatePartialJsonBuilder());

    protected override T? Build() => _builder!.Snapshot();

    protected override T? ReadWhole(ReadOnlySpan<byte> json) => GatewayJson.Deserialize<T>(json);

    public override T Parse(ChatCompletion completion) => completion.ParseContent<T>();
}
