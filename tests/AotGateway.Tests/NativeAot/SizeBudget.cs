using System;
using System.Globalization;
using System.IO;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.NativeAot;

/// <summary>
/// NativeAOT publishes run one at a time: each builds the runtime projects, and two builds of one project at
/// once would race on its output folder.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeAotPublishes : ICollectionFixture<PublishedAotgw>, ICollectionFixture<PackedFeed>
{
    public const string Name = "nativeaot";
}

/// <summary>
/// Binary sizes recorded in <c>tests/size-budget.txt</c>: a binary more than 10% over its recorded size fails.
/// Raising a recorded size is a reviewed change with its reason written beside it in that file.
/// </summary>
internal static class SizeBudget
{
    public const double Allowance = 1.10;

    public static long Recorded(string binary)
    {
        string path = Path.Combine(Processes.RepositoryRoot, "tests", "size-budget.txt");
        foreach (string line in File.ReadAllLines(path))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && !line.StartsWith('#') && parts[0] == binary)
                return long.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"{path} records no size for '{binary}'.");
    }

    public static void Check(string binary, long size)
    {
        long recorded = Recorded(binary);
        Assert.True(size <= recorded * Allowance,
            $"{binary} is {size:N0} bytes, more than 10% over the {recorded:N0} recorded in tests/size-budget.txt. Make it smaller, or record the new size there with the reason.");
    }
}
