using System;
using System.ComponentModel;
using System.Globalization;

namespace AotGateway.Cli.Samples;

/// <summary>The operations <see cref="SampleTools.Calculate"/> knows.</summary>
internal enum Operation
{
    Add,
    Subtract,
    Multiply,
    Divide,
}

/// <summary>The built-in tools <c>aotgw chat --tools</c> offers the model: the time, and arithmetic.</summary>
internal static partial class SampleTools
{
    /// <summary>Gets the current date and time in UTC, as ISO 8601.</summary>
    [GatewayTool]
    public static string GetTime() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Does exact arithmetic on two numbers.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="operation">What to do.</param>
    /// <param name="b">The right operand.</param>
    [GatewayTool]
    public static decimal Calculate(decimal a, Operation operation, [Description("The right operand; not 0 for Divide.")] decimal b) => operation switch
    {
        Operation.Add => a + b,
        Operation.Subtract => a - b,
        Operation.Multiply => a * b,
        Operation.Divide when b != 0 => a / b,
        Operation.Divide => throw new ArgumentException("Division by zero."),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
