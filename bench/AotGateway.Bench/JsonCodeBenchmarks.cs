using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace AotGateway.Bench;

/// <summary>The generated JSON code against System.Text.Json source generation on the same objects and bytes.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class JsonCodeBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);
    private Utf8JsonWriter _writer = null!;
    private Order _order = null!;
    private OrderBatch _batch = null!;
    private byte[] _orderJson = null!;
    private byte[] _batchJson = null!;
    private string _orderText = null!;

    [GlobalSetup]
    public void Setup()
    {
        _writer = new Utf8JsonWriter(_buffer);
        _order = Orders.One(7);
        _batch = Orders.Batch(1000);
        _orderJson = JsonSerializer.SerializeToUtf8Bytes(_order, OrderContext.Default.Order);
        _batchJson = JsonSerializer.SerializeToUtf8Bytes(_batch, OrderContext.Default.OrderBatch);
        _orderText = System.Text.Encoding.UTF8.GetString(_orderJson);
        if (!_orderJson.AsSpan().SequenceEqual(GatewayJson.SerializeToUtf8Bytes(_order)))
            throw new InvalidOperationException("The two serializers disagree; the comparison would be meaningless.");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Serialize one")]
    public int Stj_Serialize_Order()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        JsonSerializer.Serialize(_writer, _order, OrderContext.Default.Order);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark, BenchmarkCategory("Serialize one")]
    public int Generated_Serialize_Order()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        GatewayJson.Write(_writer, _order);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Deserialize one")]
    public Order? Stj_Deserialize_Order() => JsonSerializer.Deserialize(_orderJson, OrderContext.Default.Order);

    [Benchmark, BenchmarkCategory("Deserialize one")]
    public Order Generated_Deserialize_Order() => GatewayJson.Deserialize<Order>(_orderJson);

    [Benchmark(Baseline = true), BenchmarkCategory("Serialize 1000")]
    public int Stj_Serialize_Batch()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        JsonSerializer.Serialize(_writer, _batch, OrderContext.Default.OrderBatch);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark, BenchmarkCategory("Serialize 1000")]
    public int Generated_Serialize_Batch()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        GatewayJson.Write(_writer, _batch);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Deserialize 1000")]
    public OrderBatch? Stj_Deserialize_Batch() => JsonSerializer.Deserialize(_batchJson, OrderContext.Default.OrderBatch);

    [Benchmark, BenchmarkCategory("Deserialize 1000")]
    public OrderBatch Generated_Deserialize_Batch() => GatewayJson.Deserialize<OrderBatch>(_batchJson);

    // The convenience calls users reach for first: a new array or string per call, and a string to parse.

    [Benchmark(Baseline = true), BenchmarkCategory("SerializeToUtf8Bytes one")]
    public byte[] Stj_SerializeToUtf8Bytes_Order() => JsonSerializer.SerializeToUtf8Bytes(_order, OrderContext.Default.Order);

    [Benchmark, BenchmarkCategory("SerializeToUtf8Bytes one")]
    public byte[] Generated_SerializeToUtf8Bytes_Order() => GatewayJson.SerializeToUtf8Bytes(_order);

    [Benchmark(Baseline = true), BenchmarkCategory("Serialize one to string")]
    public string Stj_Serialize_Order_String() => JsonSerializer.Serialize(_order, OrderContext.Default.Order);

    [Benchmark, BenchmarkCategory("Serialize one to string")]
    public string Generated_Serialize_Order_String() => GatewayJson.Serialize(_order);

    [Benchmark(Baseline = true), BenchmarkCategory("Deserialize one from string")]
    public Order? Stj_Deserialize_Order_String() => JsonSerializer.Deserialize(_orderText, OrderContext.Default.Order);

    [Benchmark, BenchmarkCategory("Deserialize one from string")]
    public Order Generated_Deserialize_Order_String() => GatewayJson.Deserialize<Order>(_orderText);

    [Benchmark(Baseline = true), BenchmarkCategory("SerializeToUtf8Bytes 1000")]
    public byte[] Stj_SerializeToUtf8Bytes_Batch() => JsonSerializer.SerializeToUtf8Bytes(_batch, OrderContext.Default.OrderBatch);

    [Benchmark, BenchmarkCategory("SerializeToUtf8Bytes 1000")]
    public byte[] Generated_SerializeToUtf8Bytes_Batch() => GatewayJson.SerializeToUtf8Bytes(_batch);
}
