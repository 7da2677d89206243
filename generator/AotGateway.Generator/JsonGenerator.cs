using AotGateway.Generator.Emitting;
using AotGateway.Generator.Model;
using AotGateway.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AotGateway.Generator;

/// <summary>
/// Emits, for each type marked [GatewayJson], a reflection-free writer and reader over Utf8JsonWriter and
/// Utf8JsonReader and the type's JSON Schema. Parser → equatable model → emitter.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class JsonGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> types = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                JsonTypeParser.AttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => JsonTypeParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.ParsedJsonTypes);

        // Diagnostics (the only place locations live) are an output of their own, as the tool generator's are: a
        // type's source is then emitted from its model alone, and an edit that only moves a diagnostic re-emits nothing.
        context.RegisterSourceOutput(types.Select(static (r, _) => r.Diagnostics).Where(static d => d.Count > 0), static (output, diagnostics) =>
        {
            foreach (DiagnosticInfo diagnostic in diagnostics)
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        IncrementalValuesProvider<JsonTypeModel> models = types
            .Select(static (r, _) => r.Model)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.JsonTypeModels);

        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(JsonTypeEmitter.HintName(model), JsonTypeEmitter.Emit(model)));
    }
}
