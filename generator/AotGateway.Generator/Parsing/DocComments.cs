using Microsoft.CodeAnalysis;

namespace AotGateway.Generator.Parsing;

/// <summary>Descriptions for schemas: [Description] first, then the XML doc comment.</summary>
internal static class DocComments
{
    public static string? DescriptionOf(ISymbol symbol, KnownSymbols known, IParameterSymbol? positionalParameter = null)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (KnownSymbols.Is(attribute, known.DescriptionAttribute)
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string text)
                return text;
        }
        if (positionalParameter is not null)
        {
            foreach (AttributeData attribute in positionalParameter.GetAttributes())
            {
                if (KnownSymbols.Is(attribute, known.DescriptionAttribute)
                    && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string text)
                    return text;
            }
        }
        string? summary = Summary(XmlOf(symbol));
        if (summary is null && positionalParameter?.ContainingSymbol is IMethodSymbol constructor)
            summary = Param(XmlOf(constructor.ContainingType), positionalParameter.Name);
        return summary;
    }

    /// <summary>A method parameter's description: its [Description], else the method's <c>&lt;param&gt;</c> doc.</summary>
    public static string? DescriptionOfParameter(IParameterSymbol parameter, KnownSymbols known)
    {
        foreach (AttributeData attribute in parameter.GetAttributes())
        {
            if (KnownSymbols.Is(attribute, known.DescriptionAttribute)
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string text)
                return text;
        }
        return Param(XmlOf(parameter.ContainingSymbol), parameter.Name);
    }

    /// <summary>
    /// The comment read from the source, whether or not the compiler parses documentation: its own reading
    /// (<see cref="ISymbol.GetDocumentationCommentXml"/>) exists only when it does, binds every cref, and cost more
    /// per keystroke than reading the trivia; both give the same descriptions.
    /// </summary>
    private static string? XmlOf(ISymbol symbol) => DocCommentTrivia.XmlOf(symbol);

    private static string? Summary(string? xml) => Element(xml, "summary", null);

    private static string? Param(string? xml, string name) => Element(xml, "param", name);

    private static string? Element(string? xml, string element, string? name) =>
        string.IsNullOrWhiteSpace(xml) ? null : DocXml.ElementText(xml!, element, name);
}
