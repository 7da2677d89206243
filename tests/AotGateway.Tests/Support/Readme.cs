using System;
using System.IO;
using Xunit;

namespace AotGateway.Tests.Support;

/// <summary>The repository's README, for tests that compile its examples.</summary>
internal static class Readme
{
    /// <summary>Every <c>```csharp</c> block of a Markdown file, with the <c>##</c> heading it sits under.</summary>
    public static System.Collections.Generic.List<(string Heading, string Code)> CSharpBlocks(string relativePath)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Processes.RepositoryRoot, relativePath));
        var blocks = new System.Collections.Generic.List<(string, string)>();
        string heading = "";
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("## ", StringComparison.Ordinal))
                heading = lines[i][3..];
            if (lines[i] != "```csharp")
                continue;
            var code = new System.Text.StringBuilder();
            for (i++; i < lines.Length && lines[i] != "```"; i++)
                code.Append(lines[i]).Append('\n');
            blocks.Add((heading, code.ToString()));
        }
        return blocks;
    }

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
