using System;
using System.IO;
using System.Text.RegularExpressions;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Relay;

/// <summary>README blocks marked <c>```csharp file=PATH</c> are that file as it is, so the code shown is the code built and tested.</summary>
public sealed class ReadmeRelayTests
{
    [Fact]
    public void Every_README_block_that_names_a_file_is_that_file()
    {
        string readme = File.ReadAllText(Path.Combine(Processes.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");
        MatchCollection blocks = Regex.Matches(readme, "```csharp file=(?<path>\\S+)\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(blocks.Count >= 2, "the Service section shows the relay's files");
        foreach (Match block in blocks)
        {
            string path = block.Groups["path"].Value;
            string file = File.ReadAllText(Path.Combine(Processes.RepositoryRoot, path)).ReplaceLineEndings("\n");
            Assert.True(file == block.Groups["code"].Value, $"README's block for {path} differs from the file: update one from the other.");
        }
    }
}
