using AotGateway.Infrastructure;

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

    protected override bool TrySnapshot(out T? value)
    {
        value = default;
        if (_builder is not null)
        {
            value = _builder.Snapshot();
            return true;
        }
        using var prefix = new PooledBufferWriter(1024);
        if (!Tracker.WriteClosedPrefix(prefix))
            return false;
        try
        {
            value = GatewayJson.Deserialize<T>(prefix.WrittenSpan);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    public override T Parse(ChatCompletion completion) => completion.ParseContent<T>();
}
