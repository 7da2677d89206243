using System;

namespace AotGateway;

/// <summary>How C# member names become JSON names.</summary>
public enum GatewayJsonNaming
{
    /// <summary>As written in C# (<c>FirstName</c>), like System.Text.Json's default.</summary>
    AsWritten,

    /// <summary><c>firstName</c>.</summary>
    CamelCase,

    /// <summary><c>first_name</c>.</summary>
    SnakeCase,
}

/// <summary>
/// Marks a <see langword="partial"/> class, record or struct for AotGateway's source generator, which emits a
/// reflection-free JSON writer and reader and the type's JSON Schema (strict-mode ready) at compile time.
/// The type then implements <see cref="IGatewayJson{TSelf}"/> and can be used with
/// <see cref="GatewayClient.CompleteAsync{T}(ChatRequest, System.Threading.CancellationToken)"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class GatewayJsonAttribute : Attribute
{
    /// <summary>How member names become JSON names; <c>[JsonPropertyName]</c> on a member always wins.</summary>
    public GatewayJsonNaming Naming { get; set; }

    /// <summary>The schema's name in <c>response_format</c> (letters, digits, <c>_</c>, <c>-</c>); the type name by default.</summary>
    public string? SchemaName { get; set; }
}
