using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AotGateway.Bench;

// Accumulates a captured chat stream into its final message and prints it as aotgw does.
await using Stream input = args.Length == 0 || args[0] == "-" ? Console.OpenStandardInput() : File.OpenRead(args[0]);
var content = new StringBuilder();
var reasoning = new StringBuilder();
var refusal = new StringBuilder();
bool hasContent = false, hasReasoning = false, hasRefusal = false;
string? finishReason = null;
StjUsage? usage = null;
var calls = new SortedDictionary<int, (string? Id, StringBuilder Name, StringBuilder Arguments)>();

SseParser<StjChunk?> parser = SseParser.Create(input, static (_, data) =>
    data.SequenceEqual("[DONE]"u8) ? null : JsonSerializer.Deserialize(data, StjContext.Default.StjChunk));
await foreach (SseItem<StjChunk?> item in parser.EnumerateAsync())
{
    if (item.Data is not { } chunk)
        continue;
    usage = chunk.Usage ?? usage;
    if (chunk.Choices is null)
        continue;
    foreach (StjChoice choice in chunk.Choices)
    {
        if (choice.Index != 0)
            continue;
        finishReason = choice.FinishReason ?? finishReason;
        if (choice.Delta is not { } delta)
            continue;
        if (delta.Content is { } c) { content.Append(c); hasContent = true; }
        if (delta.Reasoning is { } r) { reasoning.Append(r); hasReasoning = true; }
        if (delta.Refusal is { } f) { refusal.Append(f); hasRefusal = true; }
        if (delta.ToolCalls is null)
            continue;
        foreach (StjToolCall call in delta.ToolCalls)
        {
            if (!calls.TryGetValue(call.Index, out var state))
                calls[call.Index] = state = (null, new StringBuilder(), new StringBuilder());
            if (call.Id is not null && state.Id is null)
                calls[call.Index] = state = (call.Id, state.Name, state.Arguments);
            state.Name.Append(call.Function?.Name);
            state.Arguments.Append(call.Function?.Arguments);
        }
    }
}

using var json = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
json.WriteStartObject();
Write("content", hasContent && (content.Length > 0 || (!hasRefusal && calls.Count == 0)) ? content.ToString() : null);
Write("reasoning_content", hasReasoning ? reasoning.ToString() : null);
Write("refusal", hasRefusal && refusal.Length > 0 ? refusal.ToString() : null);
if (calls.Count > 0)
{
    json.WriteStartArray("tool_calls");
    foreach (var call in calls.Values)
    {
        json.WriteStartObject();
        json.WriteString("id", call.Id ?? "");
        json.WriteString("type", "function");
        json.WriteStartObject("function");
        json.WriteString("name", call.Name.ToString());
        json.WriteString("arguments", call.Arguments.ToString());
        json.WriteEndObject();
        json.WriteEndObject();
    }
    json.WriteEndArray();
}
else
{
    json.WriteNull("tool_calls");
}
Write("finish_reason", finishReason);
if (usage is not null)
{
    json.WriteStartObject("usage");
    json.WriteNumber("prompt_tokens", usage.PromptTokens);
    json.WriteNumber("completion_tokens", usage.CompletionTokens);
    json.WriteNumber("total_tokens", usage.TotalTokens);
    json.WriteEndObject();
}
else
{
    json.WriteNull("usage");
}
json.WriteEndObject();
json.Flush();
Console.Out.Write('\n');

void Write(string name, string? value)
{
    if (value is null) json.WriteNull(name); else json.WriteString(name, value);
}
