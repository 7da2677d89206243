using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;

var options = new OpenAIClientOptions { Endpoint = PeakRss.BaseUrl };
options.AddPolicy(new ApiKeyPolicy(), PipelinePosition.BeforeTransport);
IChatClient client = new OpenAI.Chat.ChatClient(PeakRss.Model, new ApiKeyCredential(PeakRss.Key), options)
    .AsIChatClient()
    .AsBuilder()
    .UseFunctionInvocation()
    .Build();
var text = new StringBuilder();
var chatOptions = new ChatOptions { Tools = [new GetTimeFunction()] };
await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("What time is it?", chatOptions))
    text.Append(update.Text);
PeakRss.Print(text.ToString());

/// <summary>Written by hand, as a NativeAOT app must: AIFunctionFactory.Create reflects over the delegate.</summary>
internal sealed class GetTimeFunction : AIFunction
{
    private static readonly JsonElement s_schema = JsonDocument.Parse("""{"type":"object","properties":{},"required":[],"additionalProperties":false}""").RootElement;

    public override string Name => "get_time";

    public override string Description => "Gets the time of day.";

    public override JsonElement JsonSchema => s_schema;

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) => new("12:00");
}
