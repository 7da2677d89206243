using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using OpenAI;
using OpenAI.Chat;

var options = new OpenAIClientOptions { Endpoint = PeakRss.BaseUrl };
// The gateway takes Authorization: Api-Key; the SDK sends Bearer, so a policy rewrites it just before sending.
options.AddPolicy(new ApiKeyPolicy(), PipelinePosition.BeforeTransport);
var client = new ChatClient(PeakRss.Model, new ApiKeyCredential(PeakRss.Key), options);
ChatTool getTime = ChatTool.CreateFunctionTool("get_time", "Gets the time of day.",
    BinaryData.FromString("""{"type":"object","properties":{},"required":[],"additionalProperties":false}"""), functionSchemaIsStrict: true);
var chatOptions = new ChatCompletionOptions { Tools = { getTime } };
List<ChatMessage> messages = [new UserChatMessage("What time is it?")];
var text = new StringBuilder();
for (int round = 0; round < 4; round++)
{
    var ids = new Dictionary<int, string>();
    var names = new Dictionary<int, string>();
    var arguments = new Dictionary<int, StringBuilder>();
    await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync(messages, chatOptions))
    {
        foreach (ChatMessageContentPart part in update.ContentUpdate)
            text.Append(part.Text);
        foreach (StreamingChatToolCallUpdate call in update.ToolCallUpdates)
        {
            if (call.ToolCallId is { } id)
                ids[call.Index] = id;
            if (call.FunctionName is { } name)
                names[call.Index] = name;
            if (!arguments.TryGetValue(call.Index, out StringBuilder? fragments))
                arguments[call.Index] = fragments = new StringBuilder();
            fragments.Append(call.FunctionArgumentsUpdate?.ToString());
        }
    }
    if (ids.Count == 0)
        break;
    var calls = new List<ChatToolCall>();
    foreach ((int index, string id) in ids)
        calls.Add(ChatToolCall.CreateFunctionToolCall(id, names[index], BinaryData.FromString(arguments[index].ToString())));
    messages.Add(new AssistantChatMessage(calls));
    foreach (ChatToolCall call in calls)
        messages.Add(new ToolChatMessage(call.Id, call.FunctionName == "get_time" ? "12:00" : "unknown tool"));
}
PeakRss.Print(text.ToString());
