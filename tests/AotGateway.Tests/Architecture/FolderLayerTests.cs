using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Architecture;

/// <summary>ARCHITECTURE.md's folder tables are the projects' real dependencies, and they have no cycle.</summary>
[Trait("Category", "Core")]
public sealed class FolderLayerTests
{
    [Theory]
    [InlineData("runtime/AotGateway")]
    [InlineData("generator/AotGateway.Generator")]
    public void The_folders_use_exactly_what_ARCHITECTURE_md_lists_and_no_cycle(string project)
    {
        FolderDependencies actual = FolderDependencies.Of(Path.Combine(Processes.RepositoryRoot, project), References());
        Dictionary<string, HashSet<string>> documented = DocumentedUses(project);

        List<List<string>> cycles = actual.Cycles();
        Assert.True(cycles.Count == 0,
            $"Folders of {project} use each other in a cycle: {string.Join("; ", cycles.Select(c => string.Join(" ↔ ", c)))}.{Environment.NewLine}{actual.Describe()}");

        Assert.Equal(actual.Folders.Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        var problems = new List<string>();
        foreach (((string from, string to), string example) in actual.Edges)
        {
            if (!documented[from].Contains(to))
                problems.Add($"{from} uses {to}, which ARCHITECTURE.md does not list ({example}).");
        }

        foreach ((string from, HashSet<string> uses) in documented)
        {
            foreach (string to in uses)
            {
                if (!actual.Edges.ContainsKey((from, to)))
                    problems.Add($"ARCHITECTURE.md lists {from} as using {to}, but nothing in {from} does.");
            }
        }

        // The table is top to bottom: a row may only use rows below it.
        List<string> order = [.. documented.Keys];
        foreach ((string from, HashSet<string> uses) in documented)
        {
            foreach (string to in uses)
            {
                if (order.IndexOf(to) <= order.IndexOf(from))
                    problems.Add($"ARCHITECTURE.md lists {from} as using {to}, which is not below it in the table.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_checker_sees_a_cycle_between_two_folders()
    {
        // A guard on the guard: two files that use each other's types across folders must make a cycle.
        string directory = Path.Combine(Path.GetTempPath(), "agw-layers-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "Lower"));
            Directory.CreateDirectory(Path.Combine(directory, "Upper"));
            File.WriteAllText(Path.Combine(directory, "Lower", "A.cs"), "namespace N; internal static class A { public static int X => B.Y; }");
            File.WriteAllText(Path.Combine(directory, "Upper", "B.cs"), "namespace N; internal static class B { public static int Y => 1; public static int Z => A.X; }");
            FolderDependencies dependencies = FolderDependencies.Of(directory, References());
            Assert.Equal(["Lower", "Upper"], Assert.Single(dependencies.Cycles()));
            Assert.Contains(("Lower", "Upper"), dependencies.Edges.Keys);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_checker_refuses_sources_that_do_not_compile()
    {
        // Unresolved names make no edges: a checker that went on would miss exactly the uses it exists to find.
        string directory = Path.Combine(Path.GetTempPath(), "agw-layers-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "Lower"));
            File.WriteAllText(Path.Combine(directory, "Lower", "A.cs"), "namespace N; internal static class A { public static int X => Missing.Y; }");
            var error = Assert.Throws<InvalidOperationException>(() => FolderDependencies.Of(directory, References()));
            Assert.Contains("Missing", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<string> References()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(System.IO.Pipelines.Pipe).Assembly.Location);
        paths.Add(typeof(Microsoft.CodeAnalysis.Compilation).Assembly.Location);
        paths.Add(typeof(Microsoft.CodeAnalysis.CSharp.CSharpCompilation).Assembly.Location);
        return paths;
    }

    /// <summary>The table after <c>&lt;!-- folders: project --&gt;</c>: each row's folder and the folders in its "Uses" cell.</summary>
    private static Dictionary<string, HashSet<string>> DocumentedUses(string project)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Processes.RepositoryRoot, "ARCHITECTURE.md"));
        int marker = Array.IndexOf(lines, $"<!-- folders: {project} -->");
        Assert.True(marker >= 0, $"ARCHITECTURE.md has no folder table for {project}.");
        // Dictionary keeps insertion order while nothing is removed: the rows' order.
        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string line in lines.Skip(marker + 3).TakeWhile(l => l.StartsWith('|')))
        {
            string[] cells = line.Split('|');
            string folder = cells[1].Trim().Trim('`');
            uses[folder] = cells[2].Split(',').Select(c => c.Trim().Trim('`')).Where(c => c is not ("" or "—")).ToHashSet(StringComparer.Ordinal);
        }

        return uses;
    }
}
