using System;

namespace AotGateway;

/// <summary>
/// Makes a static method of a <c>partial</c> class a tool the model can call. The source generator adds to
/// the class a typed argument record per tool (<c>{Method}Arguments</c>), a <see cref="GatewayTool{TArguments}"/>
/// per tool (<c>{Method}Tool</c>) and a <see cref="GatewayToolSet"/> that runs them (<c>ToolSet</c>), with no reflection.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GatewayToolAttribute : Attribute
{
    /// <summary>The tool's name for the model (letters, digits, <c>_</c>, <c>-</c>; at most 64). Default: the method name in snake_case.</summary>
    public string? Name { get; init; }

    /// <summary>What the tool does, for the model. Default: the method's XML doc <c>&lt;summary&gt;</c>.</summary>
    public string? Description { get; init; }
}
