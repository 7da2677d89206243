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

        // Tools are grouped by class after parsing; the collected models are equatable, so an unrelated edit reruns nothing.
        IncrementalValueProvider<ImmutableArray<ToolParseResult>> all = methods.Collect().WithTrackingName(TrackingNames.CollectedTools);

        context.RegisterSourceOutput(all, static (output, results) =>
        {
            var groups = new Dictionary<string, (ToolClassModel Class, List<ToolMethodModel> Tools, bool Failed)>();
            var order = new List<string>();
            var reportedClassDiagnostics = new HashSet<DiagnosticInfo>();
            foreach (ToolParseResult result in results)
            {
                foreach (DiagnosticInfo diagnostic in result.Diagnostics)
                {
                    if (reportedClassDiagnostics.Add(diagnostic))
                        output.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
                string key = result.Class.FullyQualifiedName;
                if (!groups.TryGetValue(key, out var group))
                {
                    group = (result.Class, new List<ToolMethodModel>(), false);
                    order.Add(key);
                }
                if (result.Tool is { } tool)
                {
                    ToolMethodModel? same = group.Tools.Find(t => t.ToolName == tool.ToolName);
                    if (same is not null)
                    {
                        output.ReportDiagnostic(new DiagnosticInfo(DiagnosticDescriptors.ToolNameDuplicate, tool.Location,
                            new EquatableArray<string>([tool.ToolName, same.MethodName, tool.MethodName, result.Class.Name])).ToDiagnostic());
                        group.Failed = true;
                    }
                    else
                    {
                        group.Tools.Add(tool);
                    }
                }
                else
                {
                    group.Failed = true;
                }
                groups[key] = group;
            }
            foreach (string key in order)
            {
                (ToolClassModel toolClass, List<ToolMethodModel> tools, bool failed) = groups[key];
                if (failed || tools.Count == 0)
                    continue;
                output.AddSource(ToolSetEmitter.HintName(toolClass), ToolSetEmitter.Emit(toolClass, tools));
                foreach (ToolMethodModel tool in tools)
                    output.AddSource(JsonTypeEmitter.HintName(tool.Arguments), JsonTypeEmitter.Emit(tool.Arguments));
            }
        });
    }
}
