using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Architecture;

/// <summary>ARCHITECTURE.md's package table is the projects' real references.</summary>
[Trait("Category", "Core")]
public sealed class PackageTests
{
    [Fact]
    public void Every_project_references_exactly_what_ARCHITECTURE_md_lists()
    {
        Dictionary<string, HashSet<string>> documented = DocumentedReferences();
        Dictionary<string, HashSet<string>> actual = ActualReferences();
        Assert.Equal(actual.Keys.Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        var problems = new List<string>();
        foreach ((string project, HashSet<string> references) in actual)
        {
            foreach (string missing in references.Except(documented[project]))
                problems.Add($"{project} references {missing}, which ARCHITECTURE.md does not list.");
            foreach (string extra in documented[project].Except(references))
                problems.Add($"ARCHITECTURE.md lists {project} as referencing {extra}, but its .csproj does not.");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Every shipped or run project under runtime/ and generator/, with the projects it references.</summary>
    private static Dictionary<string, HashSet<string>> ActualReferences()
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string folder in new[] { "runtime", "generator" })
        {
            foreach (string project in Directory.GetFiles(Path.Combine(Processes.RepositoryRoot, folder), "*.csproj", SearchOption.AllDirectories))
            {
                XDocument xml = XDocument.Load(project);
                result[Path.GetFileNameWithoutExtension(project)] = xml.Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension((string)r.Attribute("Include")!))
                    .ToHashSet(StringComparer.Ordinal);
            }
        }
        Assert.True(result.Count >= 7, "the projects were not found");
        return result;
    }

    /// <summary>The table after <c>&lt;!-- packages --&gt;</c>: each row's project and the projects in its "References" cell.</summary>
    private static Dictionary<string, HashSet<string>> DocumentedReferences()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Processes.RepositoryRoot, "ARCHITECTURE.md"));
        int marker = Array.IndexOf(lines, "<!-- packages -->");
        Assert.True(marker >= 0, "ARCHITECTURE.md has no package table.");
        var references = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string line in lines.Skip(marker + 3).TakeWhile(l => l.StartsWith('|')))
        {
            string[] cells = line.Split('|');
            string project = cells[1].Trim().Trim('`');
            references[project] = cells[2].Split(',').Select(c => c.Trim().Trim('`')).Where(c => c is not ("" or "—")).ToHashSet(StringComparer.Ordinal);
        }
        return references;
    }
}
