using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using AotGateway.Bench;

if (args.Length > 0 && args[0] == "verify")
    return await Verify.RunAsync();
if (args.Length == 1 && args[0] == "serve")
    return await LoadBench.ServeAsync();
if (args.Length > 0 && args[0] == "load")
    return await LoadBench.RunAsync(calls: 5_000, streams: 2_000, concurrency: 8);
if (args.Length == 1 && args[0] == "concurrency-serve")
    return await AotGateway.Bench.Concurrency.TlsChatServer.ServeAsync();
if (args.Length == 6 && args[0] == "concurrency-run")
    return await AotGateway.Bench.Concurrency.ConcurrencyBench.RunOneAsync(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture), args[5]);
if (args.Length >= 1 && args[0] == "concurrency")
{
    // concurrency [rounds=R] [N ...]: R runs of every configuration (medians reported), at each concurrency N.
    (int rounds, int[] counts) = RoundsAndCounts(args[1..], 5, [10, 100, 1000]);
    return await AotGateway.Bench.Concurrency.ConcurrencyBench.RunAsync(counts, rounds);
}
if (args.Length == 2 && args[0] == "chunk-cpu-run")
    return await AotGateway.Bench.Concurrency.ChunkCpuBench.RunOneAsync(args[1]);
if (args.Length >= 1 && args[0] == "chunk-cpu")
    return await AotGateway.Bench.Concurrency.ChunkCpuBench.RunAsync(args.Length > 1 && args[1].StartsWith("rounds=", StringComparison.Ordinal) ? int.Parse(args[1]["rounds=".Length..], System.Globalization.CultureInfo.InvariantCulture) : 5);
if (args.Length >= 1 && args[0] == "eager-tools")
    return await AotGateway.Bench.Tools.EagerToolsBench.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
if (args.Length >= 1 && args[0] == "fleet")
    return await AotGateway.Bench.Fleet.FleetBench.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 180, args.Length > 2 ? args[2] : null);
if (args.Length == 6 && args[0] == "fleet-replica")
    return await AotGateway.Bench.Fleet.FleetBench.RunReplicaAsync(args[1], args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture));
if (args.Length >= 1 && args[0] == "generator")
{
    // generator [types|tools] [rounds=R] [N ...]: the generators per keystroke, AotGateway's against System.Text.Json's.
    string[] kinds = [.. args[1..].Where(a => a is "types" or "tools")];
    (int rounds, int[] counts) = RoundsAndCounts([.. args[1..].Where(a => a is not ("types" or "tools"))], 6, [50, 200, 800]);
    return AotGateway.Bench.Generator.GeneratorKeystrokeBench.Run(rounds, counts, kinds.Length > 0 ? kinds : ["types", "tools"]);
}
if (args.Length >= 2 && args[0] == "generator-profile")
{
    // generator-profile N [stj] [tools] [first]: one generator's allocation by type, over its edits or its first run.
    string[] options = args[2..];
    return AotGateway.Bench.Generator.GeneratorKeystrokeBench.Profile(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture),
        options.Contains("stj"), options.Contains("tools"), options.Contains("first"));
}
if (args.Length >= 3 && args[0] == "relay-vs-portkey")
{
    // relay-vs-portkey RELAY_BINARY PORTKEY_START_SERVER_JS [rounds=R] [N ...] [env:NAME=VALUE ...] [profile:COMMAND]
    // [cpus:LOAD/TARGET]: issue 28, item 4. COMMAND runs over each process's measured streams with {pid}, {target} and
    // {round} replaced; cpus: pins this process and the servers to separate CPUs (taskset lists).
    string[] rest = args[3..];
    string[] environment = [.. rest.Where(a => a.StartsWith("env:", StringComparison.Ordinal)).Select(a => a["env:".Length..])];
    string? profiler = rest.FirstOrDefault(a => a.StartsWith("profile:", StringComparison.Ordinal))?["profile:".Length..];
    string? cpus = rest.FirstOrDefault(a => a.StartsWith("cpus:", StringComparison.Ordinal))?["cpus:".Length..];
    (int rounds, int[] counts) = RoundsAndCounts([.. rest.Where(a => !a.StartsWith("env:", StringComparison.Ordinal) && !a.StartsWith("profile:", StringComparison.Ordinal) && !a.StartsWith("cpus:", StringComparison.Ordinal))], 3, [10, 100, 500]);
    return await AotGateway.Bench.Relay.RelayVsPortkeyBench.RunAsync(args[1], args[2], rounds, counts, environment, profiler, cpus);
}
if (args.Length == 3 && args[0] == "make-capture")
    return MakeCapture.Run(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));

IConfig config = DefaultConfig.Instance.AddColumn(PerChunkColumn.All);
BenchmarkSwitcher.FromAssembly(typeof(StreamDecodeBenchmarks).Assembly).Run(args, config);
return 0;

// "[rounds=R] [N ...]" as the concurrency and generator modes take it.
static (int Rounds, int[] Counts) RoundsAndCounts(string[] args, int rounds, int[] counts)
{
    var given = new List<int>();
    foreach (string arg in args)
    {
        if (arg.StartsWith("rounds=", StringComparison.Ordinal))
            rounds = int.Parse(arg["rounds=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        else
            given.Add(int.Parse(arg, System.Globalization.CultureInfo.InvariantCulture));
    }
    return (rounds, given.Count > 0 ? [.. given] : counts);
}
