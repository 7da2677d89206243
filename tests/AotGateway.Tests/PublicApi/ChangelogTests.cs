using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.PublicApi;

/// <summary>
/// CHANGELOG.md kept in step with the approved public surface: it records, per package, a fingerprint of the approval
/// file it was last written for, so approving a change of surface without touching the changelog fails here, with the
/// fingerprint to paste once the line is written. The breaking changes since the first package are held by name.
/// </summary>
[Trait("Category", "Core")]
public sealed class ChangelogTests
{
    private static string Changelog => File.ReadAllText(Path.Combine(Processes.RepositoryRoot, "CHANGELOG.md")).ReplaceLineEndings("\n");

    private static string ApprovalFolder => Path.Combine(Processes.RepositoryRoot, "tests", "AotGateway.Tests", "PublicApi");

    /// <summary>The fingerprint block as it should read for today's approval files.</summary>
    internal static string ExpectedBlock()
    {
        var lines = new List<string>();
        foreach (string file in Directory.GetFiles(ApprovalFolder, "*.approved.txt"))
        {
            string text = File.ReadAllText(file).ReplaceLineEndings("\n");
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            lines.Add($"{Path.GetFileName(file)[..^".approved.txt".Length]} {hash}");
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    internal static string? RecordedBlock(string changelog)
    {
        Match block = Regex.Match(changelog, @"<!-- public-api\n(?<lines>[^>]*?)-->");
        return block.Success ? block.Groups["lines"].Value.TrimEnd('\n') : null;
    }

    [Fact]
    public void Every_approved_surface_change_has_a_changelog_entry()
    {
        string? recorded = RecordedBlock(Changelog);
        Assert.NotNull(recorded);
        string expected = ExpectedBlock();
        if (recorded == expected)
            return;
        var changed = new List<string>();
        var was = new HashSet<string>(recorded!.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (string line in expected.Split('\n'))
        {
            if (!was.Contains(line))
                changed.Add(line.Split(' ')[0]);
        }
        Assert.Fail(
            $"The public surface of {string.Join(", ", changed)} changed since CHANGELOG.md was last written for it. " +
            "Add a line under [Unreleased] (Added, Changed, or Removed with what to write instead), then replace the " +
            $"lines of its '<!-- public-api' block with:\n{expected}");
    }

    [Fact]
    public void The_check_notices_a_changed_surface()
    {
        // The same comparison on a changelog whose block is one character off must not pass.
        string changelog = Changelog;
        string recorded = RecordedBlock(changelog)!;
        string tampered = recorded[..^1] + (recorded[^1] == '0' ? '1' : '0');
        Assert.NotEqual(ExpectedBlock(), RecordedBlock(changelog.Replace(recorded, tampered)));
    }

    [Theory]
    [InlineData("ChatRequest.Messages")]
    [InlineData("ChatMessage.ReasoningContent")]
    [InlineData("ChatUpdate.CreatedUnixSeconds")]
    [InlineData("ToolCallUpdateList")]
    [InlineData(".Length` becomes `.Count")]
    [InlineData("ToSnapshot()")]
    [InlineData("GatewayToolException")]
    public void Each_break_since_the_first_package_says_what_to_write_instead(string named)
    {
        string since = Changelog[Changelog.IndexOf("## Since the first package", StringComparison.Ordinal)..];
        Assert.Contains(named, since, StringComparison.Ordinal);
    }
}
