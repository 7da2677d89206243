using System.Text.Json;

namespace AotGateway;

/// <summary>JSON that a generated type cannot read: malformed JSON, a missing required member, a wrong token type, a number out of range, an escape that is not valid UTF-16. <see cref="JsonException.Path"/> says where.</summary>
public sealed class GatewayJsonException : JsonException
{
    /// <summary>Creates the error for <paramref name="problem"/> at <paramref name="path"/> (a JSON path starting with <c>$</c>).</summary>
    public GatewayJsonException(string problem, string path)
        : this(problem, path, null)
    {
    }

    /// <summary>Creates the error for <paramref name="problem"/> at <paramref name="path"/>, caused by <paramref name="innerException"/>.</summary>
    public GatewayJsonException(string problem, string path, System.Exception? innerException)
        : base($"{problem} at {path}.", path, null, null, innerException)
    {
        Problem = problem;
    }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }

    /// <summary>The same error seen from the enclosing object's property <paramref name="name"/>.</summary>
    public GatewayJsonException WithinProperty(string name) => new(Problem, "$." + name + (Path!.Length > 1 ? Path[1..] : ""), InnerException);

    /// <summary>The same error seen from the enclosing array's element <paramref name="index"/>.</summary>
    public GatewayJsonException WithinIndex(int index) => new(Problem, "$[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]" + (Path!.Length > 1 ? Path[1..] : ""), InnerException);
}
