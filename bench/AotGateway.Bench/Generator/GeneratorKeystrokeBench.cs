using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using AotGateway.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AotGateway.Bench.Generator;

/// <summary>
/// What a user's IDE pays per keystroke: N types marked <c>[GatewayJson]</c> and listed in a System.Text.Json
/// <c>JsonSerializerContext</c>, each generator driven alone with <c>CSharpGeneratorDriver</c> (STJ's from the SDK's
/// reference pack), in interleaved rounds: the first run, then edits to an unrelated method body. Reports medians of
/// per-round ratios (time and allocation, AotGateway ÷ STJ) and, from the tracked steps, whether an edit re-emitted
/// anything of ours.
/// </summary>
internal static class GeneratorKeystrokeBench
{
    private const int Edits = 15;

    /// <summary>
    /// Where one generator's allocation goes, by type (the runtime's allocation sampling, about one event per 100 KB),
    /// over the first run or the edits of one drive: how the parse's and the emitter's hot spots were found.
    /// </summary>
    public static int Profile(int n, bool stj, bool tools, bool firstRun)
    {
        CSharpCompilation compilation = tools ? ToolCompilation(n) : Compilation(n);
        IIncrementalGenerator[] generators = stj ? [LoadStjGenerator(out _)] : [new JsonGenerator(), new ToolGenerator()];
        Drive(compilation, generators); // warm-up
        using var sampler = new AllocationSampler();
        s_sampler = (sampler, firstRun);
        Drive(compilation, generators);
        s_sampler = null;
        foreach (KeyValuePair<string, long> type in sampler.BytesByType.OrderByDescending(t => t.Value).Take(30))
            Console.WriteLine($"{type.Value / 1e6,8:F2} MB  {type.Key}");
        return 0;
    }

    private static (AllocationSampler Sampler, bool FirstRun)? s_sampler;

    public static int Run(int rounds, int[] counts, string[] kinds)
    {
        IIncrementalGenerator stj = LoadStjGenerator(out string stjPath);
        Console.WriteLine($"STJ generator: {stjPath}");
        Console.WriteLine("| N | step | AotGateway ms | STJ ms | time ÷ (median of rounds) | AotGateway MB | STJ MB | allocated ÷ | our outputs after an edit |");
        Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (string kind in kinds)
        foreach (int n in counts)
        {
            CSharpCompilation compilation = kind == "tools" ? ToolCompilation(n) : Compilation(n);
            var first = new List<(Measure Ours, Measure Stj)>();
            var edit = new List<(Measure Ours, Measure Stj)>();
            string caching = "";
            for (int round = 0; round < rounds; round++)
            {
                (Measure oursFirst, Measure oursEdit, string oursCaching) = Drive(compilation, new JsonGenerator(), new ToolGenerator());
                (Measure stjFirst, Measure stjEdit, _) = Drive(compilation, stj);
                if (round == 0)
                    continue; // warm-up: JIT and Roslyn's own caches
                first.Add((oursFirst, stjFirst));
                edit.Add((oursEdit, stjEdit));
                caching = oursCaching;
            }
            Console.WriteLine($"| {n} {kind} | files generated: {string.Join(", ", s_generated.Select(g => $"{g.Key} {g.Value}"))} | | | | | | | |");
            Print($"{n} {kind}", "first run", first, "");
            Print($"{n} {kind}", "unrelated method-body edit", edit, caching);
        }
        return 0;
    }

    private readonly record struct Measure(double Milliseconds, long Bytes);

    private static readonly Dictionary<string, string> s_generated = [];

    private static void Print(string n, string step, List<(Measure Ours, Measure Stj)> runs, string caching)
    {
        double ours = Median(runs.ConvertAll(r => r.Ours.Milliseconds));
        double stj = Median(runs.ConvertAll(r => r.Stj.Milliseconds));
        double time = Median(runs.ConvertAll(r => r.Ours.Milliseconds / r.Stj.Milliseconds));
        double oursMb = Median(runs.ConvertAll(r => r.Ours.Bytes / 1e6));
        double stjMb = Median(runs.ConvertAll(r => r.Stj.Bytes / 1e6));
        double bytes = Median(runs.ConvertAll(r => (double)r.Ours.Bytes / r.Stj.Bytes));
        Console.WriteLine($"| {n} | {step} | {ours:F1} | {stj:F1} | {time:F2} | {oursMb:F1} | {stjMb:F1} | {bytes:F2} | {caching} |");
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>The first run, then the median of <see cref="Edits"/> unrelated edits; and what our tracked outputs did on the last.</summary>
    private static (Measure First, Measure Edit, string Caching) Drive(CSharpCompilation compilation, params IIncrementalGenerator[] generators)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [.. generators.Select(g => g.AsSourceGenerator())],
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees[0].Options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        Measure first = Time(ref driver, compilation, sampled: s_sampler is { FirstRun: true });
        IEnumerable<GeneratedSourceResult> sources = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources);
        s_generated[generators[0].GetType().Name] = $"{sources.Count()} ({sources.Sum(s => s.SourceText.Length) / 1e6:F1} M chars)";
        var edits = new List<Measure>();
        SyntaxTree editTree = compilation.SyntaxTrees[^1];
        CSharpCompilation current = compilation;
        for (int i = 1; i <= Edits; i++)
        {
            SyntaxTree edited = CSharpSyntaxTree.ParseText(EditSource(i), (CSharpParseOptions)editTree.Options, editTree.FilePath);
            current = current.ReplaceSyntaxTree(current.SyntaxTrees[^1], edited);
            edits.Add(Time(ref driver, current, sampled: s_sampler is { FirstRun: false }));
        }
        return (first, new Measure(Median(edits.ConvertAll(e => e.Milliseconds)), (long)Median(edits.ConvertAll(e => (double)e.Bytes))), Caching(driver.GetRunResult()));
    }

    private static Measure Time(ref GeneratorDriver driver, Compilation compilation, bool sampled)
    {
        // Each measured run starts from a collected heap: it pays for its own garbage, not for what the run before left.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (sampled)
            s_sampler!.Value.Sampler.On = true;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        long start = Stopwatch.GetTimestamp();
        driver = driver.RunGenerators(compilation);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (sampled)
            s_sampler!.Value.Sampler.On = false;
        return new Measure(ms, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    /// <summary>How the tracked outputs of the last run were produced: an unrelated edit should leave all of them cached.</summary>
    private static string Caching(GeneratorDriverRunResult run)
    {
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (GeneratorRunResult result in run.Results)
        {
            foreach (KeyValuePair<string, ImmutableArray<IncrementalGeneratorRunStep>> step in result.TrackedOutputSteps)
            {
                foreach (IncrementalGeneratorRunStep runStep in step.Value)
                {
                    foreach ((object _, IncrementalStepRunReason reason) in runStep.Outputs)
                        reasons[reason.ToString()] = reasons.GetValueOrDefault(reason.ToString()) + 1;
                }
            }
        }
        return string.Join(", ", reasons.Select(r => $"{r.Value} {r.Key}"));
    }

    private static string EditSource(int i) => $"namespace Bench.Types; internal static class Edited {{ public static int M() => {i}; }}";

    /// <summary>N types of six members (a string, numbers, a date, a list, a nested type) in both generators' terms.</summary>
    private static CSharpCompilation Compilation(int n)
    {
        var types = new StringBuilder("using System; using System.Collections.Generic; using System.ComponentModel; using AotGateway; namespace Bench.Types;\n");
        types.Append("public enum Level { Low, Medium, High }\n");
        types.Append("/// <summary>Shared by every type.</summary>\n[GatewayJson] public partial record Shared(string Note, int Count, Level Level);\n");
        var context = new StringBuilder("using System.Text.Json.Serialization; namespace Bench.Types;\n");
        for (int k = 0; k < n; k++)
        {
            // A record with a constructor and doc comments, described members, a nested type, a list of it, a
            // nullable number, a date and an enum: what a structured-output type looks like.
            types.Append($"/// <summary>Type {k}.</summary>\n/// <param name=\"Name\">Its name.</param>\n[GatewayJson] public partial record T{k}(string Name, int Count, Shared Child)\n{{\n");
            types.Append("    [Description(\"A score, when known.\")] public double? Score { get; init; }\n");
            types.Append("    /// <summary>When it happened.</summary>\n    public DateTimeOffset At { get; init; }\n");
            types.Append("    public List<Shared> History { get; init; } = [];\n    public List<string> Tags { get; init; } = [];\n    public Level Level { get; init; }\n}\n");
            context.Append($"[JsonSerializable(typeof(T{k}))]\n");
        }
        context.Append("internal sealed partial class BenchContext : JsonSerializerContext;\n");
        return Create(types.ToString(), context.ToString());
    }

    private static CSharpCompilation Create(string types, string context)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Parse);
        string[] paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(GatewayClient).Assembly.Location));
        return CSharpCompilation.Create("KeystrokeBench",
            [CSharpSyntaxTree.ParseText(types, parse, "Types.cs"), CSharpSyntaxTree.ParseText(context, parse, "Context.cs"), CSharpSyntaxTree.ParseText(EditSource(0), parse, "Edited.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>
    /// N [GatewayTool] methods, ten to a class, each taking what a tool usually does (text, a number, an enum, an
    /// optional list, a cancellation token) and returning a record; System.Text.Json's side is the same arguments as
    /// N records in one context, the JSON a tool call carries.
    /// </summary>
    private static CSharpCompilation ToolCompilation(int n)
    {
        var tools = new StringBuilder("using System.Collections.Generic; using System.Threading; using System.Threading.Tasks; using AotGateway; namespace Bench.Tools;\n");
        tools.Append("public enum Level { Low, Medium, High }\n");
        tools.Append("[GatewayJson] public partial record Reply(string Text, int Count);\n");
        var context = new StringBuilder("using System.Collections.Generic; using System.Text.Json.Serialization; namespace Bench.Tools;\n");
        int attributes = 0; // the context's attributes come last, after every record
        for (int k = 0; k < n; k++)
        {
            if (k % 10 == 0)
                tools.Append(k == 0 ? "" : "}\n").Append($"public static partial class Tools{k / 10}\n{{\n");
            tools.Append($"    /// <summary>Tool {k}.</summary>\n    /// <param name=\"city\">The city.</param>\n");
            tools.Append($"    [GatewayTool] public static Task<Reply> Tool{k}Async(string city, int days, Level level, List<string>? tags = null, CancellationToken cancellationToken = default) => Task.FromResult(new Reply(city, days));\n");
            context.Insert(context.Length - attributes, $"public sealed record Tool{k}Arguments(string City, int Days, Level Level, List<string>? Tags);\n");
            string attribute = $"[JsonSerializable(typeof(Tool{k}Arguments))]\n";
            context.Append(attribute);
            attributes += attribute.Length;
        }
        tools.Append("}\n");
        context.Append("[JsonSerializable(typeof(Reply))]\ninternal sealed partial class BenchContext : JsonSerializerContext;\n");
        return Create(tools.ToString(), context.ToString());
    }

    /// <summary>System.Text.Json's generator as the SDK ships it to compilers: the reference pack's analyzer.</summary>
    private static IIncrementalGenerator LoadStjGenerator(out string path)
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!; // dotnet/shared/Microsoft.NETCore.App/<version>
        string root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        string packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        string version = Directory.GetDirectories(packs).Select(Path.GetFileName).OrderBy(v => Version.TryParse(v, out Version? parsed) ? parsed : new Version()).Last()!;
        path = Path.Combine(packs, version, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll");
        Assembly assembly = Assembly.LoadFrom(path);
        Type type = assembly.GetTypes().First(t => typeof(IIncrementalGenerator).IsAssignableFrom(t) && !t.IsAbstract);
        return (IIncrementalGenerator)Activator.CreateInstance(type)!;
    }
}
