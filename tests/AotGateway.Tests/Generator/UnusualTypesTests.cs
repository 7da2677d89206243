using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>
/// Legal but unusual C#: every type compiles with its generated code, or gets one AGW diagnostic that says why
/// (README promises a fix-it diagnostic, never broken generated code).
/// </summary>
[Trait("Category", "Core")]
public class UnusualTypesTests
{
    public static TheoryData<string, string> Corpus => new()
    {
        { "keywords and enum aliases", """
            using AotGateway;
            namespace K;
            public enum Level { First = 1, Primary = 1, Second = 2 }
            public enum Word { @default, @class, @event }
            [GatewayJson] public partial class Keywords
            {
                public int @class { get; set; }
                public string @event { get; set; } = "";
                public Word @default { get; set; }
                public Level Level { get; set; }
            }
            [GatewayJson] public partial record KeywordRecord(int @class, string @params);
            """ },
        { "a new member hiding a base member of another type", """
            using AotGateway;
            namespace H;
            public class Base { public string Code { get; set; } = ""; public int Kept { get; set; } }
            [GatewayJson] public partial class Hides : Base { public new int Code { get; set; } public string Other { get; set; } = ""; }
            """ },
        { "nested in partial containers", """
            using AotGateway;
            namespace N;
            public partial class Outer { public partial struct Middle { [GatewayJson] public partial record Inner(string Name); } }
            """ },
        { "the global namespace", """
            using AotGateway;
            [GatewayJson] public partial class GlobalThing { public string Name { get; set; } = ""; }
            """ },
        { "one simple name in two namespaces", """
            using AotGateway;
            namespace A { [GatewayJson] public partial class Item { public int Id { get; set; } } }
            namespace B { [GatewayJson] public partial class Item { public string Id { get; set; } = ""; } }
            namespace C { [GatewayJson] public partial class Both { public A.Item First { get; set; } = new(); public B.Item Second { get; set; } = new(); } }
            """ },
        { "required and init-only members", """
            using AotGateway;
            namespace R;
            [GatewayJson] public partial class Req { public required string Name { get; init; } public int Count { get; init; } public required int Size { get; set; } }
            """ },
        { "a record with defaults", """
            using AotGateway;
            namespace D;
            [GatewayJson] public partial record WithDefaults(string Name, int? Retries = 3, string Mode = "fast");
            """ },
        { "a keyword-named type in a keyword-free namespace", """
            using AotGateway;
            namespace T;
            [GatewayJson] public partial class @event { public int When { get; set; } }
            """ },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Compiles_or_gets_one_AGW_diagnostic(string name, string source)
    {
        GeneratorHarness.Result result = GeneratorHarness.Run(source);
        Diagnostic[] agw = [.. result.GeneratorDiagnostics.Where(d => d.Id.StartsWith("AGW", System.StringComparison.Ordinal))];
        Assert.True(agw.Length <= 1, name + ": " + string.Join("; ", agw.Select(d => d.ToString())));
        Assert.Empty(result.GeneratorDiagnostics.Where(d => !d.Id.StartsWith("AGW", System.StringComparison.Ordinal)));
        if (agw.Length == 0)
        {
            IEnumerable<Diagnostic> errors = result.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
            Assert.True(!errors.Any(), name + ": " + string.Join("\n", errors.Select(d => d.ToString())));
        }
    }
}
