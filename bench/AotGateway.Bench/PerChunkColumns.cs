using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AotGateway.Bench;

/// <summary>Adds ns/chunk, B/chunk and MB/s, derived from each case's mean time, allocation and its corpus.</summary>
public sealed class PerChunkColumn(string name, Func<double, double, StreamCorpus.Corpus, double> compute, string format) : IColumn
{
    public string Id => nameof(PerChunkColumn) + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => name switch
    {
        "ns/chunk" => "Mean time per chunk of the stream",
        "B/chunk" => "Managed bytes allocated per chunk",
        _ => "Stream bytes decoded per second (MB = 10^6 bytes)",
    };

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkReport? report = summary[benchmarkCase];
        if (report?.ResultStatistics is null)
            return "-";
        if (!benchmarkCase.Parameters.Items.Any(p => p.Name == "Stream"))
            return "-";
        string stream = (string)benchmarkCase.Parameters["Stream"];
        StreamCorpus.Corpus corpus = StreamCorpus.Get(stream);
        double meanNs = report.ResultStatistics.Mean;
        double allocated = report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase) ?? 0;
        return compute(meanNs, allocated, corpus).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static IColumn[] All =>
    [
        new PerChunkColumn("ns/chunk", (ns, _, c) => ns / c.Chunks, "0.0"),
        new PerChunkColumn("B/chunk", (_, bytes, c) => bytes / c.Chunks, "0.0"),
        new PerChunkColumn("MB/s", (ns, _, c) => c.Bytes.Length / (ns / 1e9) / 1e6, "0"),
    ];
}
