using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace AotGateway.Generator.Parsing;

/// <summary>Descriptions for schemas: [Description] first, then the XML doc comment.</summary>
internal static class DocComments
{
    private static readonly char[] s_whitespace = [' ', '\n', '\r', '\t'];

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

    /// <summary>The compiler's reading when it parses documentation, else the comment read from the source.</summary>
    private static string? XmlOf(ISymbol symbol)
    {
        string? xml = symbol.GetDocumentationCommentXml();
        return string.IsNullOrWhiteSpace(xml) ? DocCommentTrivia.XmlOf(symbol) : xml;
    }

    private static string? Summary(string? xml) => Element(xml, "summary", null);

    private static string? Param(string? xml, string name) => Element(xml, "param", name);

    private static string? Element(string? xml, string element, string? name)
    {
        if (string.IsNullOrWhiteSpace(xml))
            return null;
        try
        {
            XElement root = XElement.Parse(xml);
            foreach (XElement e in root.Elements(element))
            {
                if (name is not null && (string?)e.Attribute("name") != name)
                    continue;
                string text = Normalize(e);
                return text.Length == 0 ? null : text;
            }
        }
        catch (System.Xml.XmlException)
        {
            // A malformed doc comment gives no description; the compiler reports it already.
        }
        return null;
    }

    /// <summary>
    /// A cref as a reader names it: "T:Docs.Parcel", "M:Docs.Parcel.Ship(System.Int32)" and an unbound
    /// "Parcel" (read from source without the compiler) all become the simple name, so the schema
    /// does not depend on whether documentation was parsed.
    /// </summary>
    private static string CrefName(string cref)
    {
        string name = cref.Substring(cref.IndexOf(':') + 1);
        int arguments = name.IndexOfAny(['(', '{', '<']);
        if (arguments >= 0)
            name = name.Substring(0, arguments);
        name = name.Substring(name.LastIndexOf('.') + 1);
        int arity = name.IndexOf('`');
        return arity >= 0 ? name.Substring(0, arity) : name;
    }

    private static string Normalize(XElement element)
    {
        var text = new System.Text.StringBuilder();
        foreach (XNode node in element.Nodes())
        {
            if (node is XText t)
                text.Append(t.Value);
            else if (node is XElement e)
                text.Append((string?)e.Attribute("cref") is { } cref ? CrefName(cref) : (string?)e.Attribute("langword") ?? e.Value);
        }
        return string.Join(" ", text.ToString().Split(s_whitespace, System.StringSplitOptions.RemoveEmptyEntries));
    }
}
