/// <summary>Each app ends by printing its own peak resident set, read from /proc (Linux), so the script needs no tool.</summary>
internal static class PeakRss
{
    public static void Print(string result)
    {
        Console.WriteLine("result: " + result);
        foreach (string line in File.ReadAllLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                Console.WriteLine("peak-rss-kb: " + line["VmHWM:".Length..].Trim().Split(' ')[0]);
        }
    }

    /// <summary>The peak resident set in KiB (for servers whose stdout is the protocol: they print it to stderr).</summary>
    public static string KiB()
    {
        foreach (string line in File.ReadAllLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return line["VmHWM:".Length..].Trim().Split(' ')[0];
        }
        return "0";
    }

    public static Uri BaseUrl => new(Environment.GetEnvironmentVariable("GATEWAY_BASE_URL") ?? throw new InvalidOperationException("set GATEWAY_BASE_URL"));

    public const string Key = "fake-gateway-key";
    public const string Model = "fake/echo-1";
}
