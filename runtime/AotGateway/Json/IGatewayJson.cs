using System;
using System.Text.Json;

namespace AotGateway;

/// <summary>
/// Implemented by the source generator for each <see cref="GatewayJsonAttribute"/> type: JSON writing and
/// reading without reflection, and the type's JSON Schema. Use it through <see cref="GatewayJson"/>.
/// </summary>
/// <typeparam name="TSelf">The generated type.</typeparam>
public interface IGatewayJson<TSelf> where TSelf : IGatewayJson<TSelf>
{
    /// <summary>Writes <paramref name="value"/> as JSON.</summary>
    static abstract void WriteJson(Utf8JsonWriter writer, TSelf value);

    /// <summary>Reads one value, starting on its first token; unknown properties are skipped.</summary>
    /// <exception cref="GatewayJsonException">A required member is missing, a token has the wrong type, or a number is out of range.</exception>
    static abstract TSelf ReadJson(ref Utf8JsonReader reader);

    /// <summary>The JSON Schema of the type, as UTF-8 JSON, in the form strict structured outputs accept.</summary>
    static abstract ReadOnlySpan<byte> JsonSchema { get; }

    /// <summary>The name to give the schema in <c>response_format</c>.</summary>
    static abstract string JsonSchemaName { get; }

    /// <summary>
    /// A builder that fills a <typeparamref name="TSelf"/> member by member as its JSON streams in (partial objects);
    /// <see langword="null"/> (the default) reads partials from the whole part of the text instead.
    /// </summary>
    static virtual PartialJsonBuilder<TSelf>? CreatePartialJsonBuilder() => null;
}
