using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace AotGateway.Tests.Support;

internal static class Processes
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>The program <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = System.IO.Path.Combine(directory, name);
            if (System.IO.File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    public static string RepositoryRoot
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "AotGateway.sln")))
                dir = Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException("AotGateway.sln not found above the test directory.");
        }
    }

    /// <summary>Runs a process to completion within <paramref name="limit"/>; a process still running then is killed and the test fails.</summary>
    public static async Task<Result> RunAsync(string file, string arguments, TimeSpan limit, string? workingDirectory = null, params (string Name, string? Value)[] environment) =>
        (await RunMeasuredAsync(file, arguments, limit, workingDirectory, environment)).Result;

    /// <summary>
    /// As <see cref="RunAsync"/>, also reading the process's peak resident set (VmHWM, in KiB) from /proc every few
    /// milliseconds while it runs: the high-water mark only grows, so the last reading before exit is the peak
    /// up to that moment (0 where /proc is absent).
    /// </summary>
    public static async Task<(Result Result, long PeakRssKiB)> RunMeasuredAsync(string file, string arguments, TimeSpan limit, string? workingDirectory = null, params (string Name, string? Value)[] environment)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
            UseShellExecute = false,
        };
        foreach ((string name, string? value) in environment)
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        using Process process = Process.Start(start)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peak = 0;
        Task exited = process.WaitForExitAsync();
        var clock = Stopwatch.StartNew();
        try
        {
            while (!exited.IsCompleted)
            {
                peak = Math.Max(peak, ReadPeakRssKiB(process.Id));
                if (clock.Elapsed > limit)
                    throw new TimeoutException();
                await Task.WhenAny(exited, Task.Delay(5));
            }
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {arguments}' did not finish within {limit}.");
        }
        process.WaitForExit();
        return (new Result(process.ExitCode, output.ToString(), error.ToString()), peak);
    }

    private static long ReadPeakRssKiB(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // The process exited between the check and the read.
        }
        return 0;
    }
}
