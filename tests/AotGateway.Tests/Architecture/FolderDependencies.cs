using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AotGateway.Tests.Architecture;

/// <summary>
/// Which folder of a project uses which: every name in a source file is bound with Roslyn, and a name declared in
/// another folder of the same project makes an edge. The project root counts as a folder named "(root)".
/// </summary>
internal sealed class FolderDependencies
{
    public const string Root = "(root)";

    /// <summary>For each edge "from → to", one example: the file and the name that made it.</summary>
    public Dictionary<(string From, string To), string> Edges { get; } = [];

    public SortedSet<string> Folders { get; } = new(StringComparer.Ordinal);

    public static FolderDependencies Of(string projectDirectory, IEnumerable<string> referencePaths)
    {
        string[] files = Directory.GetFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(projectDirectory, f))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), path: f)).ToArray();
        var compilation = CSharpCompilation.Create(
            "FolderDependencies",
            trees,
            referencePaths.Distinct().Select(p => MetadataReference.CreateFromFile(p)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        // A name that does not bind makes no edge, so a compilation with errors would hide uses: refuse to judge one.
        Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToArray();
        if (errors.Length > 0)
            throw new InvalidOperationException($"The sources of {projectDirectory} do not compile here, so their uses cannot be read: {string.Join("; ", errors.Select(e => e.ToString()))}");

        var result = new FolderDependencies();
        foreach (SyntaxTree tree in trees)
        {
            string from = FolderOf(projectDirectory, tree.FilePath);
            result.Folders.Add(from);
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (SyntaxNode node in tree.GetRoot().DescendantNodes())
            {
                if (node is not SimpleNameSyntax name)
                {
                    continue;
                }

                ISymbol? symbol = model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault();
                if (symbol is null or INamespaceSymbol)
                {
                    continue;
                }

                // A member is where it is declared (a partial type may span folders); one the compiler made
                // (a default constructor, a record's members) is where its type is.
                ISymbol declared = symbol.OriginalDefinition;
                if (declared.DeclaringSyntaxReferences.IsEmpty && declared is not INamedTypeSymbol)
                {
                    declared = declared.ContainingType?.OriginalDefinition!;
                }

                if (declared is null or ILocalSymbol or IParameterSymbol or ITypeParameterSymbol or IRangeVariableSymbol or ILabelSymbol)
                {
                    continue;
                }

                foreach (SyntaxReference declaration in declared.DeclaringSyntaxReferences)
                {
                    string to = FolderOf(projectDirectory, declaration.SyntaxTree.FilePath);
                    if (to != from)
                    {
                        result.Edges.TryAdd((from, to), $"{Path.GetRelativePath(projectDirectory, tree.FilePath)} uses {symbol.Name}");
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Every cycle's folders, each cycle as a strongly connected component of more than one folder.</summary>
    public List<List<string>> Cycles()
    {
        // Tarjan's algorithm: small graph, recursion is fine.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var onStack = new HashSet<string>();
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();
        int next = 0;

        void Visit(string folder)
        {
            index[folder] = low[folder] = next++;
            stack.Push(folder);
            onStack.Add(folder);
            foreach ((string from, string to) in Edges.Keys)
            {
                if (from != folder)
                {
                    continue;
                }

                if (!index.TryGetValue(to, out int toIndex))
                {
                    Visit(to);
                    low[folder] = Math.Min(low[folder], low[to]);
                }
                else if (onStack.Contains(to))
                {
                    low[folder] = Math.Min(low[folder], toIndex);
                }
            }

            if (low[folder] == index[folder])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != folder);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    cycles.Add(component);
                }
            }
        }

        foreach (string folder in Folders)
        {
            if (!index.ContainsKey(folder))
            {
                Visit(folder);
            }
        }

        return cycles;
    }

    public string Describe() => string.Join(
        Environment.NewLine,
        Edges.OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal)
            .Select(e => $"{e.Key.From} -> {e.Key.To}   ({e.Value})"));

    private static string FolderOf(string projectDirectory, string file)
    {
        string relative = Path.GetRelativePath(projectDirectory, Path.GetDirectoryName(file)!);
        return relative == "." ? Root : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static bool IsBuildOutput(string projectDirectory, string file)
    {
        string first = Path.GetRelativePath(projectDirectory, file).Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }
}
