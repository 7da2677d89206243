using System.Buffers;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

// The hand-written floor: HttpClient, Utf8JsonWriter for requests, SseParser and Utf8JsonReader for the stream.
using var http = new HttpClient(new SocketsHttpHandler());
var uri = new Uri(PeakRss.BaseUrl.ToString().TrimEnd('/') + "/chat/completions");
var text = new StringBuilder();
string? callId = null, callName = null;
var callArguments = new StringBuilder();
for (int round = 0; round < 2; round++)
{
    var body = new ArrayBufferWriter<byte>();
    using (var w = new Utf8JsonWriter(body))
    {
        w.WriteStartObject();
        w.WriteString("model", PeakRss.Model);
        w.WriteBoolean("stream", true);
        w.WriteStartArray("messages");
        w.WriteStartObject(); w.WriteString("role", "user"); w.WriteString("content", "What time is it?"); w.WriteEndObject();
        if (callId is not null)
        {
            w.WriteStartObject();
            w.WriteString("role", "assistant");
            w.WriteStartArray("tool_calls");
            w.WriteStartObject(); w.WriteString("id", callId); w.WriteString("type", "function");
            w.WriteStartObject("function"); w.WriteString("name", callName); w.WriteString("arguments", callArguments.ToString()); w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject(); w.WriteString("role", "tool"); w.WriteString("tool_call_id", callId); w.WriteString("content", "12:00"); w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("tools");
        w.WriteStartObject(); w.WriteString("type", "function");
        w.WriteStartObject("function"); w.WriteString("name", "get_time"); w.WriteString("description", "Gets the time of day.");
        w.WritePropertyName("parameters"); w.WriteRawValue("""{"type":"object","properties":{},"required":[],"additionalProperties":false}""");
        w.WriteEndObject(); w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }
    using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    request.Headers.TryAddWithoutValidation("Authorization", "Api-Key " + PeakRss.Key);
    using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    bool asked = false;
    await foreach (SseItem<string> item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
    {
        if (item.Data == "[DONE]")
            break;
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(item.Data));
        string? property = null;
        while (r.Read())
        {
            if (r.TokenType == JsonTokenType.PropertyName)
            {
                property = r.GetString();
                continue;
            }
            if (r.TokenType != JsonTokenType.String)
                continue;
            switch (property)
            {
                case "content": text.Append(r.GetString()); break;
                case "id" when r.CurrentDepth > 4: callId = r.GetString(); asked = true; break;
                case "name": callName = r.GetString(); break;
                case "arguments": callArguments.Append(r.GetString()); break;
            }
        }
    }
    if (!asked)
        break;
}
PeakRss.Print(text.ToString());
