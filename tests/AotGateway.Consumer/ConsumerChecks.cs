using System.Text;
using System.Text.Json;
using AotGateway;
using AotGateway.Extensions.AI;
using AotGateway.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using GatewayChatMessage = AotGateway.ChatMessage;

// The silent failures issue 14 found, checked where users meet them: a project with default settings, built from
// the packages, under JIT and NativeAOT. The README examples beside this file run too. Prints "ok"/"FAIL" per check.
public static class ConsumerChecks
{
    private static int s_failures;

    public static async Task<int> Main()
    {
        FakeGateway gateway = FakeGateway.CreateDefault().AddModel("acme/llama-3-70b").AddKey(FakeGateway.DefaultKey, "acme/llama-3-70b");
        using var client = new GatewayClient(new GatewayClientOptions
        {
            BaseUrl = new Uri("https://gateway.test/v1"),
            ApiKey = FakeGateway.DefaultKey,
            DefaultModel = FakeGateway.DefaultModel,
            Handler = gateway.CreateHandler(),
            Retry = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(10) },
        });

        // 1. Descriptions from XML comments without GenerateDocumentationFile.
        ChatTool weather = WeatherTools.ToolSet.Definitions[0];
        Check(weather.Description == "Gets the current temperature in a city.", "tool description from <summary>: " + weather.Description);
        Check(Encoding.UTF8.GetString(weather.ParametersSchema.Span).Contains("The city, e.g. Oslo.", StringComparison.Ordinal), "parameter description from <param>");
        Check(Encoding.UTF8.GetString(GatewayJson.Schema<WeatherReport>()).Contains("A weather report for one city.", StringComparison.Ordinal), "type description from <summary>");

        // 2. Every ChatOptions member the adapter used to drop reaches the request.
        await client.AsIChatClient().GetResponseAsync("hi", new ChatOptions
        {
            Instructions = "Be brief.",
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High },
            TopK = 20,
            AdditionalProperties = new AdditionalPropertiesDictionary { ["ratio"] = 0.5f },
        });
        using (JsonDocument body = JsonDocument.Parse(gateway.Requests[^1].BodyText))
        {
            JsonElement root = body.RootElement;
            Check(root.GetProperty("messages")[0].GetProperty("content").GetString() == "Be brief.", "Instructions as the first system message");
            Check(root.GetProperty("reasoning_effort").GetString() == "high", "Reasoning.Effort as reasoning_effort");
            Check(root.GetProperty("top_k").GetInt32() == 20, "TopK as top_k");
            Check(root.GetProperty("ratio").GetDouble() == 0.5, "a float in AdditionalProperties");
        }

        // 3. DI reads BASETEN_BASE_URL and BASETEN_MODEL (set by the test) and keeps one client.
        var services = new ServiceCollection();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:RequestTimeout"] = "00:02:00" }).Build();
        Registration.AddGateway(services, configuration);
        using (ServiceProvider provider = services.BuildServiceProvider())
        {
            GatewayClient fromDi = provider.GetRequiredService<GatewayClient>();
            string expectedEndpoint = Environment.GetEnvironmentVariable(GatewayClient.BaseUrlVariable)?.TrimEnd('/') + "/chat/completions";
            Check(fromDi.Endpoint.ToString() == expectedEndpoint, "DI endpoint from BASETEN_BASE_URL: " + fromDi.Endpoint);
            Check(fromDi.DefaultModel == Environment.GetEnvironmentVariable(GatewayClient.ModelVariable), "DI default model from BASETEN_MODEL: " + fromDi.DefaultModel);
            Check(ReferenceEquals(fromDi, provider.GetRequiredService<GatewayClient>()), "DI keeps one client");
            Check(provider.GetRequiredService<IChatClient>().GetService<GatewayClient>() == fromDi, "DI IChatClient over that client");
        }

        // 4. A kept stream update throws instead of reading another chunk; a snapshot stays readable.
        var kept = new List<ChatUpdate>();
        var snapshots = new List<ChatUpdate>();
        await foreach (ChatUpdate update in client.StreamAsync(new ChatRequest([GatewayChatMessage.User("keep me")])))
        {
            kept.Add(update);
            snapshots.Add(update.ToSnapshot());
        }
        bool stale;
        try
        {
            _ = kept[0].Content;
            stale = false;
        }
        catch (InvalidOperationException)
        {
            stale = true;
        }
        Check(stale, "a kept update throws when read after the stream moved on");
        Check(string.Concat(snapshots.Select(s => s.Content)) == "You said: keep me", "snapshots add up to the reply");

        // The README examples, run.
        Check(await Demo.AskAsync(client) is { } toolAnswer && toolAnswer.StartsWith("The tool returned: 21.5", StringComparison.Ordinal), "README typed tools: the loop ran get_weather");
        Check((await MeaiDemo.AskAsync(client)).StartsWith("The tool returned: ", StringComparison.Ordinal), "README Microsoft.Extensions.AI: FunctionInvokingChatClient ran the tool");
        Check(await BothInOneFile.AskBothWaysAsync(client) == "You said: Hi / You said: Hi", "README both namespaces in one file");
        WeatherReport report = await Forecasts.OsloAsync(client);
        Check(report.City.Length > 0, "README structured output");
        Check(await OfflineExample.AskTheFakeAsync() == "You said: hi", "README testing offline (after a retried 503)");
        Invoice invoice = await Billing.ReadInvoiceAsync(client, "no. 7, 12.50 EUR");
        Check(invoice.Number.Length > 0, "README JsonTypeInfo structured output (schema from the STJ context)");
        Check(await FakeGatewayExample.AskAsync() == "You said: hi", "AotGateway.Testing README example");
        Check(await AskThroughMeai.AskAsync(client) == "You said: Why is the sky blue?", "AotGateway.Extensions.AI README example");
        // The listener prints "chat <model> <n> ms, <n> tokens out"; the test reads that line from the output.
        using (System.Diagnostics.ActivityListener listener = TraceToConsole.Start())
            await client.CompleteAsync(new ChatRequest([GatewayChatMessage.User("traced")]));

        // Telemetry names the provider the endpoint implies, the same on both layers, and a stream's span its model.
        Check(client.ProviderName == client.Endpoint.Host, "provider name from a non-Baseten endpoint: " + client.ProviderName);
        Check(client.AsIChatClient().GetService<ChatClientMetadata>()?.ProviderName == client.ProviderName, "the IChatClient reports the same provider");
        string? streamedModel = null;
        using (var spans = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTelemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span => streamedModel = span.GetTagItem("gen_ai.response.model") as string,
        })
        {
            System.Diagnostics.ActivitySource.AddActivityListener(spans);
            ChatCompletion streamed = await client.StreamAsync(new ChatRequest([GatewayChatMessage.User("spanned")])).ToCompletionAsync();
            Check(streamedModel is not null && streamedModel == streamed.Model, "a stream's span names the model that answered: " + streamedModel);
        }

        Console.WriteLine(s_failures == 0 ? "consumer: all passed" : $"consumer: {s_failures} failed");
        return s_failures == 0 ? 0 : 1;
    }

    private static void Check(bool ok, string what)
    {
        Console.WriteLine((ok ? "ok   " : "FAIL ") + what);
        if (!ok)
            s_failures++;
    }
}
