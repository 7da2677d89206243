using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using AotGateway.Tests.Generator;
using AotGateway.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.SemanticKernel;
using Xunit;

namespace AotGateway.Tests.ExtensionsAI;

/// <summary>
/// README's Semantic Kernel registration, compiled from the README and run against the fake gateway: the kernel's
/// function runs when the model asks for it (with <c>UseKernelFunctionInvocation()</c>), and without it the call the
/// model asked for is never run, which is why README insists.
/// </summary>
public sealed class SemanticKernelTests
{
    private static readonly Lazy<Assembly> s_readme = new(() =>
    {
        string code = Readme.CSharpBlockAfter("## Semantic Kernel");
        MetadataReference[] references =
        [
            .. GeneratorHarness.Compile().References,
            MetadataReference.CreateFromFile(typeof(Kernel).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(KernelFunctionAttribute).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.ChatClientBuilderServiceCollectionExtensions).Assembly.Location),
        ];
        CSharpCompilation compilation = CSharpCompilation.Create("ReadmeSemanticKernel",
            [CSharpSyntaxTree.ParseText(code, GeneratorHarness.ParseOptions)], references.Distinct(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics));
        // CS1701/CS1702 (a newer Microsoft.Extensions.AI than Semantic Kernel was built on) are off in every SDK project too.
        Diagnostic[] warnings = [.. emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id is not ("CS1701" or "CS1702"))];
        Assert.True(warnings.Length == 0, string.Join('\n', warnings.Select(w => w.ToString())));
        return Assembly.Load(image.ToArray());
    });

    private static object Call(string method, params object[] arguments) =>
        s_readme.Value.GetType("KernelOverGateway")!.GetMethod(method)!.Invoke(null, arguments)!;

    [Fact]
    public async Task The_README_kernel_runs_its_function_when_the_model_asks()
    {
        using var test = new TestGateway();
        var kernel = (Kernel)Call("Build", test.Client);
        string reply = await ((Task<string>)Call("AskAsync", kernel, "shout hello")).WaitAsync(TimeSpan.FromSeconds(30));
        AssertShouted(reply);
        Assert.Equal(2, test.Gateway.Requests.Count);
        Assert.Contains("\"role\":\"tool\"", test.Gateway.Requests[1].BodyText);
    }

    [Fact]
    public async Task The_README_kernel_streams_and_runs_its_function()
    {
        using var test = new TestGateway();
        var kernel = (Kernel)Call("Build", test.Client);
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var text = new System.Text.StringBuilder();
        await foreach (StreamingKernelContent update in kernel.InvokePromptStreamingAsync("shout hello", new KernelArguments(settings)))
            text.Append(update);
        AssertShouted(text.ToString());
    }

    [Fact]
    public async Task A_plain_AddChatClient_never_runs_the_function()
    {
        using var test = new TestGateway();
        IKernelBuilder builder = Kernel.CreateBuilder();
        Microsoft.Extensions.DependencyInjection.ChatClientBuilderServiceCollectionExtensions.AddChatClient(builder.Services, AotGateway.Extensions.AI.GatewayClientExtensions.AsIChatClient(test.Client));
        var shout = new Shout();
        builder.Plugins.AddFromObject(shout);
        Kernel kernel = builder.Build();
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        FunctionResult result = await kernel.InvokePromptAsync("shout hello", new KernelArguments(settings)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("The tool returned", result.ToString(), StringComparison.Ordinal);
        Assert.Single(test.Gateway.Requests);
        Assert.Equal(0, shout.Calls);
    }

    /// <summary>The fake gateway answers a tool's result with "The tool returned: {result}"; the function upper-cases.</summary>
    private static void AssertShouted(string reply)
    {
        Assert.StartsWith("The tool returned: ", reply, StringComparison.Ordinal);
        string shouted = reply["The tool returned: ".Length..];
        Assert.NotEmpty(shouted);
        Assert.Equal(shouted.ToUpperInvariant(), shouted);
    }

    public sealed class Shout
    {
        public int Calls { get; private set; }

        [KernelFunction("shout"), System.ComponentModel.Description("Upper-cases text.")]
        public string Run(string text)
        {
            Calls++;
            return text.ToUpperInvariant();
        }
    }
}
