using System.Collections.Generic;
using System.Collections.Immutable;
using AotGateway.Generator.Diagnostics;
using AotGateway.Generator.Emitting;
using AotGateway.Generator.Model;
using AotGateway.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AotGateway.Generator;

/// <summary>
/// Emits, for each class of [GatewayTool] methods, an argument record per tool (with its JSON reader and strict
/// schema), a typed <c>GatewayTool</c> per tool, and a <c>GatewayToolSet</c> that dispatches calls without reflection.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ToolGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ToolParseResult> methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ToolParser.AttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => ToolParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.ParsedTools);

        // Diagnostics (the only place locations live) are reported on their own, each once.
        context.RegisterSourceOutput(methods.Select(static (r, _) => r.Diagnostics).Collect(), static (output, all) =>
        {
            var reported = new HashSet<DiagnosticInfo>();
            foreach (EquatableArray<DiagnosticInfo> diagnostics in all)
            {
                foreach (DiagnosticInfo diagnostic in diagnostics)
                {
                    if (reported.Add(diagnostic))
                        output.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            }
        });

        // Tools grouped by class into equatable models, then one output per class: an edit that leaves a class's
        // models equal (a blank line, a comment, another class) regenerates nothing.
        IncrementalValuesProvider<ToolSetModel> sets = methods
            .Select(static (r, _) => (r.Class, r.Tool, Failed: r.Tool is null || r.Diagnostics.Count > 0))
            .Collect()
            .Select(static (all, _) => Group(all))
            .WithTrackingName(TrackingNames.GroupedTools)
            .SelectMany(static (grouped, _) => grouped)
            .WithTrackingName(TrackingNames.ToolSets);

        context.RegisterSourceOutput(sets, static (output, set) =>
        {
            output.AddSource(ToolSetEmitter.HintName(set.Class), ToolSetEmitter.Emit(set.Class, set.Tools));
            foreach (ToolMethodModel tool in set.Tools)
                output.AddSource(JsonTypeEmitter.HintName(tool.Arguments), JsonTypeEmitter.Emit(tool.Arguments));
        });
    }

    /// <summary>The classes whose every tool parsed without a diagnostic, with their tools in declaration order.</summary>
    private static EquatableArray<ToolSetModel> Group(ImmutableArray<(ToolClassModel Class, ToolMethodModel? Tool, bool Failed)> all)
    {
        var tools = new Dictionary<string, List<ToolMethodModel>>();
        var classes = new List<ToolClassModel>();
        var failed = new HashSet<string>();
        foreach ((ToolClassModel toolClass, ToolMethodModel? tool, bool hasFailed) in all)
        {
            string key = toolClass.FullyQualifiedName;
            if (!tools.TryGetValue(key, out List<ToolMethodModel>? list))
            {
                tools[key] = list = new List<ToolMethodModel>();
                classes.Add(toolClass);
            }
            if (hasFailed || tool is null)
                failed.Add(key);
            else
                list.Add(tool);
        }
        var sets = new List<ToolSetModel>();
        foreach (ToolClassModel toolClass in classes)
        {
            if (!failed.Contains(toolClass.FullyQualifiedName) && tools[toolClass.FullyQualifiedName].Count > 0)
                sets.Add(new ToolSetModel(toolClass, tools[toolClass.FullyQualifiedName].ToEquatableArray()));
        }
        return sets.ToEquatableArray();
    }
}
