using System.Text.Json;

namespace AotGateway;

/// <summary>JSON that does not fit a generated type: a missing required member, a wrong token type, or a number out of range. <see cref="JsonException.Path"/> says where.</summary>
public sealed class GatewayJsonException : JsonException
{
    /// <summary>Creates the error for <paramref name="problem"/> at <paramref name="path"/> (a JSON path starting with <c>$</c>).</summary>
    public GatewayJsonException(string problem, string path)
        : base($"{problem} at {path}.", path, null, null)
    {
        Problem = problem;
    }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }

    /// <summary>The same error seen from the enclosing object's property <paramref name="name"/>.</summary>
    public GatewayJsonException WithinProperty(string name) => new(Problem, "$." + name + (Path!.Length > 1 ? Path[1..] : ""));

    /// <summary>The same error seen from the enclosing array's element <paramref name="index"/>.</summary>
    public GatewayJsonException WithinIndex(int index) => new(Problem, "$[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]" + (Path!.Length > 1 ? Path[1..] : ""));
}
