using System.Text;
using System.Text.Json;
using AotGateway.Infrastructure;
using BenchmarkDotNet.Attributes;

namespace AotGateway.Bench;

/// <summary>
/// A structured reply of about 200 KB streamed in 5,000 pieces, with the object so far made after every piece that
/// completes something: the generated builder and the JsonTypeInfo path, each followed by the strict read of the whole
/// text (as ToObjectAsync does), against one parse of the final text and against re-reading the whole prefix at
/// every piece (what a client without a resumable reader does). The JsonTypeInfo path runs twice: on classes with
/// setters (filled member by member) and on the order model's <c>required</c>/<c>init</c> members (which
/// source-generated metadata cannot set after construction, so the whole part of the text is re-read).
/// </summary>
[MemoryDiagnoser]
[WarmupCount(2)]
[IterationCount(8)]
public class PartialObjectBenchmarks
{
    private const int Pieces = 5_000;
    private byte[] _json = [];
    private int _piece;

    [GlobalSetup]
    public void Setup()
    {
        var orders = new List<Order>();
        while (orders.Count == 0 || GatewayJson.SerializeToUtf8Bytes(new OrderBatch { Orders = orders }).Length < 200_000)
            orders.Add(Orders.One(orders.Count));
        _json = GatewayJson.SerializeToUtf8Bytes(new OrderBatch { Orders = orders });
        _piece = (_json.Length + Pieces - 1) / Pieces;
    }

    public int Bytes => _json.Length;

    [Benchmark(Baseline = true, Description = "one parse of the final text")]
    public int OneParse() => GatewayJson.Deserialize<OrderBatch>(_json).Orders.Count;

    [Benchmark(Description = "one STJ parse of the final text (classes with setters)")]
    public int OneStjParse() => JsonSerializer.Deserialize(_json, SettableOrderContext.Default.SettableOrderBatch)!.Orders.Count;

    [Benchmark(Description = "generated partials + final parse")]
    public int Generated()
    {
        PartialJsonBuilder<OrderBatch> builder = GatewayJson.CreatePartialBuilder<OrderBatch>()!;
        using var tracker = new PartialJsonTracker(builder);
        int seen = 0;
        for (int at = 0; at < _json.Length; at += _piece)
        {
            tracker.Append(_json.AsSpan(at, Math.Min(_piece, _json.Length - at)));
            if (tracker.Changed)
            {
                tracker.Changed = false;
                seen += builder.Snapshot().Orders.Count;
            }
        }
        return seen + GatewayJson.Deserialize<OrderBatch>(_json).Orders.Count;
    }

    [Benchmark(Description = "JsonTypeInfo, classes with setters: partials + final parse")]
    public int TypeInfoSettable()
    {
        var reader = new TypeInfoPartialReader<SettableOrderBatch>(SettableOrderContext.Default.SettableOrderBatch);
        int seen = 0;
        for (int at = 0; at < _json.Length; at += _piece)
        {
            reader.AddText(_json.AsSpan(at, Math.Min(_piece, _json.Length - at)));
            if (reader.Changed)
                seen += reader.Current?.Orders.Count ?? 0;
        }
        return seen + JsonSerializer.Deserialize(_json, SettableOrderContext.Default.SettableOrderBatch)!.Orders.Count;
    }

    [Benchmark(Description = "JsonTypeInfo, required/init members: partials + final parse")]
    public int TypeInfo()
    {
        var reader = new TypeInfoPartialReader<OrderBatch>(OrderContext.Default.OrderBatch);
        int seen = 0;
        for (int at = 0; at < _json.Length; at += _piece)
        {
            reader.AddText(_json.AsSpan(at, Math.Min(_piece, _json.Length - at)));
            if (reader.Changed)
                seen += reader.Current?.Orders?.Count ?? 0;
        }
        return seen + JsonSerializer.Deserialize(_json, OrderContext.Default.OrderBatch)!.Orders.Count;
    }

    private static int TryRead(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, OrderContext.Default.OrderBatch)?.Orders.Count ?? 0;
        }
        catch (JsonException)
        {
            return 0; // a required member not yet arrived
        }
    }

    [Benchmark(Description = "naive: the whole prefix re-read every piece")]
    public int Naive()
    {
        using var prefix = new PooledBufferWriter(1024);
        int seen = 0;
        for (int at = 0; at < _json.Length; at += _piece)
        {
            int end = Math.Min(at + _piece, _json.Length);
            using var tracker = new PartialJsonTracker(root: null);
            tracker.Append(_json.AsSpan(0, end));
            prefix.Clear();
            if (tracker.WriteClosedPrefix(prefix))
                seen += TryRead(prefix.WrittenSpan);
        }
        return seen;
    }
}
