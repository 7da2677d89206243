using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AotGateway.Generator.Parsing;

/// <summary>A parameter's explicit default value as a C# expression, for generated code that stands in for a missing value.</summary>
internal static class DefaultValues
{
    private static readonly SymbolDisplayFormat s_typeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static string Expression(IParameterSymbol parameter)
    {
        object? value = parameter.ExplicitDefaultValue;
        string type = parameter.Type.ToDisplayString(s_typeFormat);
        if (value is null)
            return $"default({type})";
        if (parameter.Type.TypeKind == TypeKind.Enum)
            return $"({type})({SymbolDisplay.FormatPrimitive(value, quoteStrings: false, useHexadecimalNumbers: false)})";
        string literal = value switch
        {
            string s => SymbolDisplay.FormatLiteral(s, quote: true),
            bool b => b ? "true" : "false",
            float f when float.IsNaN(f) => "float.NaN",
            float f when float.IsInfinity(f) => f > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity",
            float f => f.ToString("R", CultureInfo.InvariantCulture) + "F",
            double d when double.IsNaN(d) => "double.NaN",
            double d when double.IsInfinity(d) => d > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity",
            double d => d.ToString("R", CultureInfo.InvariantCulture) + "D",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            _ => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false),
        };
        return $"({type.TrimEnd('?')})({literal})";
    }
}
