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

        context.RegisterSourceOutput(types, static (output, result) =>
        {
            foreach (DiagnosticInfo diagnostic in result.Diagnostics)
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            if (result.Model is { } model)
                output.AddSource(JsonTypeEmitter.HintName(model), JsonTypeEmitter.Emit(model));
        });
    }
}
