using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Tests.Generator;

namespace AotGateway.Tests.Tools;

public enum Unit
{
    Celsius,
    Fahrenheit,
}

/// <summary>Tools covering every parameter and return shape the generator supports.</summary>
public static partial class SampleTools
{
    internal static int Calls;

    /// <summary>Gets the current weather for a city.</summary>
    /// <param name="city">The city, e.g. Oslo.</param>
    /// <param name="unit">The temperature unit.</param>
    /// <param name="days">Days of forecast.</param>
    [GatewayTool]
    public static Weather GetWeather(string city, Unit unit = Unit.Fahrenheit, int days = 3)
    {
        Interlocked.Increment(ref Calls);
        return new Weather(city, unit == Unit.Celsius ? 20.5 : 68.9 + days, new Point(days, 0));
    }

    [GatewayTool(Name = "add", Description = "Adds two integers.")]
    public static long Add([Description("The first addend.")] int a, int b) => (long)a + b;

    [GatewayTool]
    public static async Task<string> EchoAsync(string text, CancellationToken cancellationToken)
    {
        await Task.Delay(1, cancellationToken);
        return text;
    }

    [GatewayTool]
    public static void Remember(IReadOnlyList<string> notes, string? tag = null) => LastNotes = tag is null ? notes : [.. notes, tag];

    internal static IReadOnlyList<string>? LastNotes;

    [GatewayTool]
    public static Task Explode(string reason) => throw new InvalidOperationException("secret detail: " + reason);

    [GatewayTool]
    public static ValueTask<DateOnly?> Today() => new(new DateOnly(2026, 11, 27));

    [GatewayTool]
    internal static List<Point> Path(Point[] points, double scale = 1.5)
    {
        var result = new List<Point>();
        foreach (Point p in points)
            result.Add(new Point(p.X * scale, p.Y * scale));
        return result;
    }

    [GatewayTool]
    public static async ValueTask Wait(int milliseconds, CancellationToken cancellationToken) =>
        await Task.Delay(milliseconds, cancellationToken);
}
