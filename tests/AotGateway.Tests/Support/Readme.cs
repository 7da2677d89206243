using System;
using System.IO;
using Xunit;

namespace AotGateway.Tests.Support;

/// <summary>The repository's README, for tests that compile its examples.</summary>
internal static class Readme
{
    /// <summary>The first <c>```csharp</c> block after the heading <paramref name="heading"/>.</summary>
    public static string CSharpBlockAfter(string heading)
    {
        string readme = File.ReadAllText(Path.Combine(Processes.RepositoryRoot, "README.md"));
        int section = readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(section >= 0, "the README has no section " + heading);
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
    }
}
