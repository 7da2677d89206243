using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Cli;

namespace AotGateway.Tests.Support;

/// <summary>What one in-process run of aotgw printed and returned.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error);

/// <summary>Runs aotgw's command line in-process with a given environment and standard input, bounded in time.</summary>
internal static class CliRunner
{
    /// <summary>
    /// aotgw.dll in the CLI project's own build output, beside its own deps.json: the copy in the test folder is
    /// resolved against the test's dependencies (ASP.NET Core's shared framework among them), not aotgw's.
    /// </summary>
    public static string AotgwDll
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
            string dll = Path.Combine(Processes.RepositoryRoot, "runtime", "AotGateway.Cli", "bin", configuration, "net10.0", "aotgw.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("aotgw is not built; build the solution first.", dll);
        }
    }

    public static async Task<CliRun> RunAsync(Dictionary<string, string>? environment, string? input, params string[] args)
    {
        var output = new MemoryStream();
        var error = new StringWriter();
        var console = new CliConsole(
            () => new MemoryStream(Encoding.UTF8.GetBytes(input ?? "")),
            output, error, name => environment is not null && environment.TryGetValue(name, out string? v) ? v : null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int code = await CommandLine.RunAsync(args, console, timeout.Token);
        return new CliRun(code, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}
