using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace AotGateway.Testing;

/// <summary>The parts of a chat request the fake gateway acts on.</summary>
internal sealed class ParsedRequest
{
    public required string Model { get; init; }
    public required List<(string Role, string Text)> Messages { get; init; }
    public required List<(string Name, string? Description, JsonElement? Parameters)> Tools { get; init; }
    public string? ToolChoiceMode { get; init; }
    public string? ToolChoiceName { get; init; }
    public bool? ParallelToolCalls { get; init; }
    public string? ResponseFormatType { get; init; }
    public JsonElement? ResponseSchema { get; init; }
    public bool Stream { get; init; }
    public bool IncludeUsage { get; init; }
    public int? MaxTokens { get; init; }
    public int? N { get; init; }

    /// <exception cref="JsonException">The body is not JSON.</exception>
    /// <exception cref="FormatException">The body is JSON but not a valid chat request.</exception>
    public static ParsedRequest Parse(ReadOnlyMemory<byte> body)
    {
        using JsonDocument doc = JsonDocument.Parse(body);
        JsonElement root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException("The request body must be a JSON object.");
        if (!root.TryGetProperty("model", out JsonElement model) || model.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(model.GetString()))
            throw new FormatException("'model' is required and must be a model slug such as 'org/model'.");
        if (!root.TryGetProperty("messages", out JsonElement messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
            throw new FormatException("'messages' is required and must be a non-empty array.");

        var parsedMessages = new List<(string, string)>();
        foreach (JsonElement message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out JsonElement role) || role.ValueKind != JsonValueKind.String)
                throw new FormatException("Each message must be an object with a 'role'.");
            parsedMessages.Add((role.GetString()!, TextOf(message)));
        }

        var tools = new List<(string, string?, JsonElement?)>();
        if (root.TryGetProperty("tools", out JsonElement toolArray) && toolArray.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement tool in toolArray.EnumerateArray())
            {
                if (!tool.TryGetProperty("function", out JsonElement function) || !function.TryGetProperty("name", out JsonElement name))
                    throw new FormatException("Each tool must have 'function.name'.");
                JsonElement? parameters = function.TryGetProperty("parameters", out JsonElement p) ? p.Clone() : null;
                string? description = function.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                tools.Add((name.GetString()!, description, parameters));
            }
        }

        string? choiceMode = null, choiceName = null;
        if (root.TryGetProperty("tool_choice", out JsonElement choice))
        {
            if (choice.ValueKind == JsonValueKind.String)
                choiceMode = choice.GetString();
            else if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function", out JsonElement f) && f.TryGetProperty("name", out JsonElement n))
                choiceName = n.GetString();
        }

        string? formatType = null;
        JsonElement? schema = null;
        if (root.TryGetProperty("response_format", out JsonElement format) && format.ValueKind == JsonValueKind.Object)
        {
            formatType = format.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
            if (formatType == "json_schema")
            {
                if (!format.TryGetProperty("json_schema", out JsonElement js) || !js.TryGetProperty("schema", out JsonElement s))
                    throw new FormatException("'response_format.json_schema.schema' is required for type json_schema.");
                schema = s.Clone();
            }
        }

        bool stream = root.TryGetProperty("stream", out JsonElement st) && st.ValueKind == JsonValueKind.True;
        bool includeUsage = root.TryGetProperty("stream_options", out JsonElement so) && so.ValueKind == JsonValueKind.Object
            && so.TryGetProperty("include_usage", out JsonElement iu) && iu.ValueKind == JsonValueKind.True;
        int? maxTokens = IntOrNull(root, "max_completion_tokens") ?? IntOrNull(root, "max_tokens");

        return new ParsedRequest
        {
            Model = model.GetString()!,
            Messages = parsedMessages,
            Tools = tools,
            ToolChoiceMode = choiceMode,
            ToolChoiceName = choiceName,
            ParallelToolCalls = root.TryGetProperty("parallel_tool_calls", out JsonElement ptc) && ptc.ValueKind is JsonValueKind.True or JsonValueKind.False ? ptc.GetBoolean() : null,
            ResponseFormatType = formatType,
            ResponseSchema = schema,
            Stream = stream,
            IncludeUsage = includeUsage,
            MaxTokens = maxTokens,
            N = IntOrNull(root, "n"),
        };
    }

    private static int? IntOrNull(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : null;

    private static string TextOf(JsonElement message)
    {
        if (!message.TryGetProperty("content", out JsonElement content))
            return "";
        if (content.ValueKind == JsonValueKind.String)
            return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array)
            return "";
        var text = new StringBuilder();
        foreach (JsonElement part in content.EnumerateArray())
        {
            if (part.TryGetProperty("text", out JsonElement t) && t.ValueKind == JsonValueKind.String)
                text.Append(text.Length > 0 ? " " : "").Append(t.GetString());
            else if (part.TryGetProperty("image_url", out _))
                text.Append(text.Length > 0 ? " " : "").Append("[image]");
        }
        return text.ToString();
    }
}
