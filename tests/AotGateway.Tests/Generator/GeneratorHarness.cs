using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using AotGateway.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AotGateway.Tests.Generator;

/// <summary>Runs the generator over source text, as the compiler would.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse);

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(GatewayClient).Assembly.Location);
        paths.Add(typeof(AotGateway.Extensions.AI.GatewayChatClient).Assembly.Location);
        paths.Add(typeof(Microsoft.Extensions.AI.IChatClient).Assembly.Location);
        paths.Add(typeof(Microsoft.Extensions.AI.ChatClientBuilder).Assembly.Location);
        paths.Add(typeof(AotGateway.Extensions.DependencyInjection.AotGatewayServiceCollectionExtensions).Assembly.Location);
        paths.Add(typeof(Microsoft.Extensions.DependencyInjection.HttpClientBuilderExtensions).Assembly.Location);
        paths.Add(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location);
        paths.Add(typeof(Microsoft.Extensions.Configuration.IConfiguration).Assembly.Location);
        return [.. paths.Distinct().Select(p => MetadataReference.CreateFromFile(p))];
    });

    public static CSharpCompilation Compile(params string[] sources) => Compile(ParseOptions, sources);

    public static CSharpCompilation Compile(CSharpParseOptions parseOptions, params string[] sources) => CSharpCompilation.Create(
        "GeneratorTest",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: $"Source{i}.cs")),
        s_references.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver() => CreateDriver(ParseOptions);

    public static GeneratorDriver CreateDriver(CSharpParseOptions parseOptions) => CSharpGeneratorDriver.Create(
        [new JsonGenerator().AsSourceGenerator(), new ToolGenerator().AsSourceGenerator()],
        parseOptions: parseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public sealed record Result(ImmutableArray<Diagnostic> GeneratorDiagnostics, ImmutableArray<Diagnostic> CompilationDiagnostics, Dictionary<string, string> Sources);

    public static Result Run(params string[] sources) => Run(ParseOptions, sources);

    /// <summary>
    /// Runs the generators, then checks what every run of them must show: no step output holds a symbol, a syntax
    /// node or a compilation (which would defeat caching and keep compilations alive), and a rerun on a clone of the
    /// compilation finds every tracked step Cached or Unchanged.
    /// </summary>
    public static Result Run(CSharpParseOptions parseOptions, params string[] sources)
    {
        CSharpCompilation compilation = Compile(parseOptions, sources);
        GeneratorDriver driver = CreateDriver(parseOptions).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        GeneratorSteps.AssertNoCompilerObjects(run);
        GeneratorSteps.AssertAllCached(driver.RunGenerators(compilation.Clone()).GetRunResult());
        var generated = run.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        ImmutableArray<Diagnostic> compiled = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new Result(diagnostics, compiled, generated);
    }
}
