using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AotGateway.Testing;

/// <summary>The reply the fake gateway decided on, before it is written as JSON or as a stream.</summary>
internal sealed class FakeCompletion
{
    public string? Content { get; private init; }
    public string? Reasoning { get; private init; }
    public List<(string Id, string Name, string Arguments)> ToolCalls { get; private init; } = [];
    public required string FinishReason { get; init; }
    public int PromptTokens { get; private init; }
    public int CompletionTokens { get; private init; }

    public static FakeCompletion Generate(ParsedRequest request, bool reasoningModel)
    {
        int promptTokens = 0;
        foreach ((string _, string text) in request.Messages)
            promptTokens += CountTokens(text) + 3;

        (string lastRole, string lastText) = request.Messages[^1];
        string? reasoning = reasoningModel
            ? $"The last message has {CountTokens(lastText).ToString(CultureInfo.InvariantCulture)} words; answer it directly."
            : null;

        bool mayCallTools = request.Tools.Count > 0 && request.ToolChoiceMode != "none" && lastRole != "tool";
        if (mayCallTools)
        {
            var calls = new List<(string, string, string)>();
            foreach ((string name, string? _, JsonElement? parameters) in ToolsToCall(request))
                calls.Add(("call_fake_" + (calls.Count + 1).ToString(CultureInfo.InvariantCulture), name, SampleArguments(parameters, lastText)));
            int argumentTokens = 0;
            foreach ((string _, string _, string args) in calls)
                argumentTokens += CountTokens(args);
            return new FakeCompletion
            {
                Reasoning = reasoning,
                ToolCalls = calls,
                FinishReason = "tool_calls",
                PromptTokens = promptTokens,
                CompletionTokens = argumentTokens + CountTokens(reasoning),
            };
        }

        string content;
        string finish = "stop";
        if (request.ResponseFormatType == "json_schema" && request.ResponseSchema is { } schema)
        {
            content = Sample(schema);
        }
        else
        {
            string answer = lastRole == "tool" ? "The tool returned: " + ToolResults(request) : "You said: " + lastText;
            if (request.MaxTokens is { } max && CountTokens(answer) > max)
            {
                answer = FirstWords(answer, Math.Max(max, 0));
                finish = "length";
            }
            content = request.ResponseFormatType == "json_object" ? JsonObjectReply(answer) : answer;
        }
        return new FakeCompletion
        {
            Content = content,
            Reasoning = reasoning,
            FinishReason = finish,
            PromptTokens = promptTokens,
            CompletionTokens = CountTokens(content) + CountTokens(reasoning),
        };
    }

    private static List<(string Name, string? Description, JsonElement? Parameters)> ToolsToCall(ParsedRequest request)
    {
        if (request.ToolChoiceName is { } named)
        {
            foreach ((string Name, string? Description, JsonElement? Parameters) tool in request.Tools)
            {
                if (tool.Name == named)
                    return [tool];
            }
        }
        // With parallel calls explicitly on, call every tool once, as a model answering a compound question would.
        if (request.ParallelToolCalls == true)
            return request.Tools;
        return [request.Tools[PromptReading.BestTool(request.Messages[^1].Text, request.Tools)]];
    }

    private static string ToolResults(ParsedRequest request)
    {
        var results = new List<string>();
        for (int i = request.Messages.Count - 1; i >= 0 && request.Messages[i].Role == "tool"; i--)
            results.Insert(0, request.Messages[i].Text);
        return string.Join("; ", results);
    }

    private static string SampleArguments(JsonElement? parameters, string prompt) =>
        parameters is { } schema ? Sample(schema, PromptReading.Hints(prompt)) : "{}";

    private static string Sample(JsonElement schema, PromptHints? hints = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            SchemaSampler.Write(writer, schema, hints);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string JsonObjectReply(string answer)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("reply"u8, answer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A token is a whitespace-separated word here: deterministic and easy to predict in tests.</summary>
    internal static int CountTokens(string? text) =>
        string.IsNullOrWhiteSpace(text) ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static string FirstWords(string text, int count)
    {
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words, 0, Math.Min(count, words.Length));
    }
}
