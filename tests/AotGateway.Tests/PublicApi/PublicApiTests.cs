using System.IO;
using AotGateway.Testing;
using AotGateway.Tests.Support;
using PublicApiGenerator;
using Xunit;

namespace AotGateway.Tests.PublicApi;

/// <summary>
/// The public surface of each shipped assembly, rendered and compared with an approved file: a change of
/// surface is a visible diff in review. To approve one, rename the .received.txt file the failure names.
/// </summary>
[Trait("Category", "Core")]
public class PublicApiTests
{
    [Theory]
    [InlineData("AotGateway")]
    [InlineData("AotGateway.Testing")]
    [InlineData("AotGateway.Extensions.AI")]
    [InlineData("AotGateway.Extensions.DependencyInjection")]
    [InlineData("AotGateway.Extensions.Mcp")]
    [InlineData("AotGateway.Extensions.Redis")]
    public void The_public_API_matches_the_approved_file(string assembly)
    {
        System.Reflection.Assembly target = assembly switch
        {
            "AotGateway" => typeof(GatewayClient).Assembly,
            "AotGateway.Testing" => typeof(FakeGateway).Assembly,
            "AotGateway.Extensions.AI" => typeof(AotGateway.Extensions.AI.GatewayChatClient).Assembly,
            "AotGateway.Extensions.Mcp" => typeof(AotGateway.Extensions.Mcp.McpToolSetOptions).Assembly,
            "AotGateway.Extensions.Redis" => typeof(AotGateway.Extensions.Redis.RedisLimitStore).Assembly,
            _ => typeof(AotGateway.Extensions.DependencyInjection.AotGatewayServiceCollectionExtensions).Assembly,
        };
        var options = new ApiGeneratorOptions
        {
            IncludeAssemblyAttributes = false,
            // Compiler-generated state machine names change with unrelated edits; they are not surface.
            ExcludeAttributes = ["System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute", "System.Runtime.CompilerServices.AsyncStateMachineAttribute"],
        };
        string actual = target.GeneratePublicApi(options).ReplaceLineEndings("\n");
        Approvals.Verify(Path.Combine("tests", "AotGateway.Tests", "PublicApi"), assembly, actual);
    }
}
