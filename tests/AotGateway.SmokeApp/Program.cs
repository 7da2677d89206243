using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text;
using System.Threading.Tasks;
using AotGateway;
using AotGateway.Extensions.AI;
using AotGateway.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using AotGateway.Testing;
using Microsoft.Extensions.AI;
using ChatMessage = AotGateway.ChatMessage;

// Every feature, against the fake gateway over loopback sockets; any mismatch exits non-zero.
FakeGateway gateway = FakeGateway.CreateDefault();
await using LoopbackGatewayServer server = LoopbackGatewayServer.Start(gateway);
using var client = new GatewayClient(new GatewayClientOptions
{
    BaseUrl = server.BaseUrl,
    ApiKey = FakeGateway.DefaultKey,
    DefaultModel = FakeGateway.DefaultModel,
    Retry = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(10) },
});
int failures = 0;
void Check(bool ok, string what)
{
    Console.WriteLine((ok ? "ok   " : "FAIL ") + what);
    if (!ok)
        failures++;
}

ChatCompletion reply = await client.CompleteAsync(new ChatRequest([ChatMessage.User("hello")]));
Check(reply.Content == "You said: hello", "non-streamed chat");

var streamed = new List<byte>();
await foreach (ChatUpdate update in client.StreamAsync(new ChatRequest([ChatMessage.User("stream me")]) { IncludeUsage = true }))
    streamed.AddRange(update.ContentUtf8);
Check(Encoding.UTF8.GetString(streamed.ToArray()) == "You said: stream me", "streamed chat as UTF-8 spans");

Forecast forecast = await client.CompleteAsync<Forecast>(new ChatRequest([ChatMessage.User("forecast for Oslo")]));
Check(forecast.City.Length > 0 && forecast.Days.Count > 0, "structured output (CompleteAsync<T>)");
Check(GatewayJson.Schema<Forecast>().IndexOf("\"additionalProperties\":false"u8) >= 0, "generated strict schema");

// Partial objects under NativeAOT: each one holds only what the final value holds, and a list only grows.
string forecastJson = GatewayJson.Serialize(new Forecast("Bergen", [new Day(new DateOnly(2026, 12, 8), 4.5, Sky.Rain), new Day(new DateOnly(2026, 12, 9), 6, Sky.Cloudy)]));
var pieces = new List<string>();
for (int i = 0; i < forecastJson.Length; i += 6)
    pieces.Add(SmokeChunk("{\"content\":\"" + System.Text.Json.JsonEncodedText.Encode(forecastJson.AsSpan(i, Math.Min(6, forecastJson.Length - i))) + "\"}", "null"));
pieces.Add(SmokeChunk("{}", "\"stop\""));
pieces.Add("data: [DONE]\n\n");
gateway.Enqueue(FakeReply.EventStream([.. pieces]));
ChatStream<Forecast> live = client.StreamAsync<Forecast>(new ChatRequest([ChatMessage.User("forecast for Bergen")]));
var partials = new List<Forecast>();
await foreach (ChatUpdate update in live)
{
    if (live.PartialChanged && live.Partial is { } soFar)
        partials.Add(soFar);
}
Forecast whole = live.Partial!;
bool consistent = partials.Count > 0;
int lastDays = 0;
foreach (Forecast p in partials)
{
    consistent &= p.City is null || p.City == whole.City;
    consistent &= p.Days is null || (p.Days.Count >= lastDays && p.Days.Count <= whole.Days.Count);
    for (int d = 0; p.Days is not null && d < p.Days.Count; d++)
        consistent &= p.Days[d] == whole.Days[d];
    lastDays = p.Days?.Count ?? 0;
}
Check(consistent && partials.Count >= 4 && whole.City == "Bergen" && whole.Days.Count == 2 && whole.Days[1].Sky == Sky.Cloudy,
    $"partial objects while streaming ({partials.Count} partials)");

string? corpusProblem = await PartialCorpus.RunAsync(client, gateway);
Check(corpusProblem is null, "partial objects: every prefix of the corpus, 1 and 7 bytes per event, strings whole and growing" + (corpusProblem is null ? "" : $" ({corpusProblem})"));

if (AppContext.TryGetSwitch("AotGateway.Tools.Loop", out bool loop) && !loop)
{
    // Published with the tool loop trimmed away: it must refuse clearly, and generated dispatch must still work.
    try
    {
        await client.RunToolsAsync(new ChatRequest([ChatMessage.User("what is the time")]), SmokeTools.ToolSet);
        Check(false, "tool loop switched off");
    }
    catch (NotSupportedException)
    {
        Check(await SmokeTools.ToolSet.InvokeAsync(new ChatToolCall("c", "get_time", "{}")) == "12:00", "tool loop switched off, dispatch kept");
    }
}
else
{
    ToolLoopResult tools = await client.RunToolsAsync(new ChatRequest([ChatMessage.User("what is the time")]), SmokeTools.ToolSet);
    Check(tools.Rounds == 2 && tools.ToolCalls == 1 && tools.Completion.Content == "The tool returned: 12:00", "tool loop with a generated tool set");
}

gateway.Enqueue(FakeReply.Error(429, "Too many requests, slow down.", "rate_limit_error", "rate_limit_exceeded", new KeyValuePair<string, string>("Retry-After", "0")));
int before = gateway.Requests.Count;
ChatCompletion retried = await client.CompleteAsync(new ChatRequest([ChatMessage.User("again")]));
Check(retried.Content == "You said: again" && gateway.Requests.Count == before + 2, "rate limit retried");

// A client of its own: once the daily limit is spent, its calls to the slug are held until UTC midnight.
using (var limited = new GatewayClient(new GatewayClientOptions { BaseUrl = server.BaseUrl, ApiKey = FakeGateway.DefaultKey, DefaultModel = FakeGateway.DefaultModel }))
{
    gateway.Enqueue(FakeReply.Error(429, "Daily usage limit reached.", "usage_limit_error", "daily_usage_limit_exceeded"));
    int sent = gateway.RequestCount;
    GatewayRateLimitException? first = null, held = null;
    try
    {
        await limited.CompleteAsync(new ChatRequest([ChatMessage.User("once more")]));
    }
    catch (GatewayRateLimitException ex)
    {
        first = ex;
    }
    try
    {
        await limited.CompleteAsync(new ChatRequest([ChatMessage.User("and again")]));
    }
    catch (GatewayRateLimitException ex)
    {
        held = ex;
    }
    Check(first is { IsUsageLimit: true, WasSent: true } && held is { IsUsageLimit: true, WasSent: false } && gateway.RequestCount == sent + 1,
        "daily usage limit raised, not retried, and held for the next call");
}

// Microsoft.Extensions.AI: the adapter, and FunctionInvokingChatClient running the generated tool set.
IChatClient chat = new ChatClientBuilder(client.AsIChatClient()).UseFunctionInvocation().Build();
ChatResponse viaMeai = await chat.GetResponseAsync("what is the time", new ChatOptions { Tools = SmokeTools.ToolSet.AsAITools() });
Check(viaMeai.Text == "The tool returned: 12:00", "IChatClient with FunctionInvokingChatClient and a generated tool set");

// Dependency injection: options bound from configuration (by the binding generator), checked at start,
// the client built on IHttpClientFactory, and IChatClient registered beside it.
IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Gateway:ApiKey"] = FakeGateway.DefaultKey,
    ["Gateway:BaseUrl"] = server.BaseUrl.ToString(),
    ["Gateway:DefaultModel"] = FakeGateway.DefaultModel,
    ["Gateway:RequestTimeout"] = "00:00:30",
}).Build();
var services = new ServiceCollection();
services.AddAotGateway(configuration.GetSection("Gateway"));
services.AddTransient<IChatClient>(static sp => new GatewayChatClient(sp.GetRequiredService<GatewayClient>(), ownsClient: true));
await using (ServiceProvider provider = services.BuildServiceProvider())
{
    provider.GetRequiredService<IStartupValidator>().Validate();
    using IChatClient injected = provider.GetRequiredService<IChatClient>();
    ChatResponse viaDi = await injected.GetResponseAsync("from DI");
    Check(viaDi.Text == "You said: from DI", "dependency injection from configuration, IHttpClientFactory, IChatClient");
}

Console.WriteLine(failures == 0 ? "smoke: all passed" : $"smoke: {failures} failed");
return failures == 0 ? 0 : 1;

static string SmokeChunk(string delta, string finishReason) =>
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"acme/m\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}\n\n";

/// <summary>A few days of weather.</summary>
[GatewayJson(Naming = GatewayJsonNaming.SnakeCase)]
internal sealed partial record Forecast(string City, [property: Description("One entry per day.")] IReadOnlyList<Day> Days);

[GatewayJson(Naming = GatewayJsonNaming.SnakeCase)]
internal sealed partial record Day(DateOnly Date, double HighC, Sky Sky);

internal enum Sky
{
    Clear,
    Cloudy,
    Rain,
}

internal static partial class SmokeTools
{
    /// <summary>Gets the time of day.</summary>
    [GatewayTool]
    public static string GetTime() => "12:00";
}
