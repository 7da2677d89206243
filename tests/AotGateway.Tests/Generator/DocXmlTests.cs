using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using AotGateway.Generator.Parsing;
using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>
/// The generator's one-pass reader of doc-comment XML against System.Xml.Linq reading the same text (whitespace kept):
/// the same description, or none for both when the XML is not well-formed.
/// </summary>
[Trait("Category", "Core")]
public class DocXmlTests
{
    public static TheoryData<string, string, string?> Corpus() => new()
    {
        { "<doc><summary>A parcel.</summary></doc>", "summary", null },
        { "<doc>\n<summary>\n  Where it goes:\n    street   and city.\n</summary>\n</doc>", "summary", null },
        { "<member name=\"T:Docs.Parcel\">\n    <summary>A parcel to ship.</summary>\n    <param name=\"Weight\">Weight in <c>kg</c>.</param>\n</member>", "param", "Weight" },
        { "<doc><param name=\"a\">First.</param><param name=\"b\">Second.</param></doc>", "param", "b" },
        { "<doc><param name='b' >Single quotes.</param></doc>", "param", "b" },
        { "<doc><param name = \"b\">Spaced equals.</param></doc>", "param", "b" },
        { "<doc><param name=\"a\">Only a.</param></doc>", "param", "c" },
        { "<doc><summary>See <see cref=\"T:Docs.Parcel\"/> and <see cref=\"M:Docs.Parcel.Ship(System.Int32)\"/>.</summary></doc>", "summary", null },
        { "<doc><summary><see cref=\"List{T}\"/>, <see cref=\"T:System.Collections.Generic.List`1\"/>, <see cref=\"List&lt;T&gt;\"/></summary></doc>", "summary", null },
        { "<doc><summary><see cref=\"A\"/> <see cref=\"B\"/></summary></doc>", "summary", null },
        { "<doc><summary>Is <see langword=\"null\"/> when <see cref=\"X\">shown text</see> fails.</summary></doc>", "summary", null },
        { "<doc><summary>Uses <paramref name=\"x\"/> and <typeparamref name=\"T\"/>.</summary></doc>", "summary", null },
        { "<doc><summary><para>One.</para><para>Two <b>bold <i>deep</i></b>.</para></summary></doc>", "summary", null },
        { "<doc><summary>a &lt; b &amp;&amp; c &gt; d, &quot;q&quot; &apos;s&apos; &#65;&#x42; &#x1F600;</summary></doc>", "summary", null },
        { "<doc><summary>Raw <![CDATA[<not> & markup]]> text.</summary></doc>", "summary", null },
        { "<doc><summary>Kept <!-- a comment --> around.</summary></doc>", "summary", null },
        { "<?xml version=\"1.0\"?>\n<!-- before --><doc><summary>After a declaration.</summary></doc>\n", "summary", null },
        { "<doc><remarks><summary>Not a top-level summary.</summary></remarks></doc>", "summary", null },
        { "<doc><summary/><summary>The second.</summary></doc>", "summary", null },
        { "<doc><summary>   </summary></doc>", "summary", null },
        { "<doc><summary>Ünïcödé ✓ <x-y.z_1>name chars</x-y.z_1></summary></doc>", "summary", null },
        { "<doc><summary>Tabs\tand\r\nCRLF.</summary></doc>", "summary", null },
        { "<doc><summary>First.</summary><summary>Second.</summary></doc>", "summary", null },
        { "<doc></doc>", "summary", null },
        // Not well-formed: no description at all, even where the wanted element itself is fine.
        { "<doc><summary>Unclosed.</doc>", "summary", null },
        { "<doc><summary>Misnamed.</summry></doc>", "summary", null },
        { "<doc><summary>Fine.</summary><remarks>Broken &nbsp; entity.</remarks></doc>", "summary", null },
        { "<doc><summary>A bad &#0; reference.</summary></doc>", "summary", null },
        { "<doc><summary>A lone &#xD800; surrogate.</summary></doc>", "summary", null },
        { "<doc><summary>An &amp without its semicolon.</summary></doc>", "summary", null },
        { "<doc><param name=\"a<b\">Less-than in a value.</param></doc>", "param", "a<b" },
        { "<doc><param name=unquoted>Bare value.</param></doc>", "param", "unquoted" },
        { "<doc><summary>Two roots.</summary></doc><doc/>", "summary", null },
        { "text before <doc><summary>Root.</summary></doc>", "summary", null },
        { "<doc><summary>Unterminated <![CDATA[ section</summary></doc>", "summary", null },
        { "<doc><summary>Unterminated <!-- comment</summary></doc>", "summary", null },
        { "<doc><summary a=\"1\"b=\"2\">No space between attributes.</summary></doc>", "summary", null },
        { "<doc><summary>Doctype <!DOCTYPE x> inside.</summary></doc>", "summary", null },
        { "<doc", "summary", null },
        { "", "summary", null },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Reads_what_System_Xml_Linq_reads(string xml, string element, string? name)
    {
        Assert.Equal(Reference(xml, element, name), DocXml.ElementText(xml, element, name));
    }

    [Fact]
    public void The_corpus_has_descriptions_and_refusals()
    {
        // Guards the comparison above against a reference that reads nothing.
        string?[] read = Corpus().Select(row => Reference((string)row[0], (string)row[1], (string?)row[2])).ToArray();
        Assert.True(read.Count(r => r is not null) >= 15);
        Assert.True(read.Count(r => r is null) >= 15);
        Assert.Equal("a < b && c > d, \"q\" 's' AB \U0001F600", DocXml.ElementText(Corpus().ElementAt(13)[0].ToString()!, "summary", null));
        Assert.Equal("A B", DocXml.ElementText("<doc><summary><see cref=\"A\"/> <see cref=\"B\"/></summary></doc>", "summary", null));
    }

    /// <summary>What XElement reads: the first top-level element of that name, children by cref, langword or text.</summary>
    private static string? Reference(string xml, string element, string? name)
    {
        XElement root;
        try
        {
            root = XElement.Parse(xml, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return null;
        }
        foreach (XElement e in root.Elements(element))
        {
            if (name is not null && (string?)e.Attribute("name") != name)
                continue;
            var text = new StringBuilder();
            foreach (XNode node in e.Nodes())
            {
                if (node is XText t)
                    text.Append(t.Value);
                else if (node is XElement child)
                    text.Append((string?)child.Attribute("cref") is { } cref ? DocXml.CrefName(cref) : (string?)child.Attribute("langword") ?? child.Value);
            }
            string normalized = string.Join(" ", text.ToString().Split([' ', '\n', '\r', '\t'], System.StringSplitOptions.RemoveEmptyEntries));
            return normalized.Length == 0 ? null : normalized;
        }
        return null;
    }
}
