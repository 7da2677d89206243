using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace AotGateway.Testing;

/// <summary>What the fake reads from a prompt, standing in for a model: the numbers it names and its words.</summary>
internal sealed class PromptHints
{
    private readonly List<decimal> _numbers;
    private int _next;

    public PromptHints(List<decimal> numbers, HashSet<string> words)
    {
        _numbers = numbers;
        Words = words;
    }

    /// <summary>The prompt's words, lower case, with arithmetic words also as the operation they name (times → multiply).</summary>
    public HashSet<string> Words { get; }

    /// <summary>Whether the prompt names any number.</summary>
    public bool HasNumbers => _numbers.Count > 0;

    /// <summary>The prompt's next number not yet used for an argument.</summary>
    public bool TryTakeNumber(out decimal number)
    {
        if (_next < _numbers.Count)
        {
            number = _numbers[_next++];
            return true;
        }
        number = 0;
        return false;
    }
}

/// <summary>
/// How the fake picks a tool and fills its arguments without a model: the tool sharing most words with the
/// prompt (name, description, parameter names, descriptions and enum values; the first on a tie), numbers
/// the prompt names in order, and an enum value the prompt names. Deterministic, so tests and the offline
/// demo can rely on it.
/// </summary>
internal static class PromptReading
{
    private static readonly Dictionary<string, string> s_operationWords = new(StringComparer.Ordinal)
    {
        ["times"] = "multiply", ["multiplied"] = "multiply", ["product"] = "multiply", ["×"] = "multiply", ["*"] = "multiply",
        ["plus"] = "add", ["sum"] = "add", ["+"] = "add",
        ["minus"] = "subtract", ["difference"] = "subtract",
        ["divided"] = "divide", ["over"] = "divide", ["÷"] = "divide", ["quotient"] = "divide",
    };

    public static PromptHints Hints(string prompt)
    {
        var numbers = new List<decimal>();
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (string token in prompt.Split([' ', '\t', '\n', '\r', ',', '?', '!', ';', ':', '(', ')', '"', '\''], StringSplitOptions.RemoveEmptyEntries))
        {
            string word = token.TrimEnd('.').ToLowerInvariant();
            if (word.Length == 0)
                continue;
            if (decimal.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number))
            {
                numbers.Add(number);
                continue;
            }
            words.Add(word);
            if (s_operationWords.TryGetValue(word, out string? operation))
                words.Add(operation);
        }
        return new PromptHints(numbers, words);
    }

    /// <summary>The index of the tool that fits the prompt best.</summary>
    public static int BestTool(string prompt, List<(string Name, string? Description, JsonElement? Parameters)> tools)
    {
        PromptHints hints = Hints(prompt);
        int best = 0, bestScore = -1;
        for (int i = 0; i < tools.Count; i++)
        {
            var vocabulary = new HashSet<string>(StringComparer.Ordinal);
            AddWords(vocabulary, tools[i].Name.Replace('_', ' ').Replace('-', ' '));
            AddWords(vocabulary, tools[i].Description);
            int numberParameters = 0;
            if (tools[i].Parameters is { ValueKind: JsonValueKind.Object } schema && schema.TryGetProperty("properties", out JsonElement properties)
                && properties.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in properties.EnumerateObject())
                {
                    AddWords(vocabulary, property.Name.Replace('_', ' '));
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        continue;
                    if (property.Value.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String)
                        AddWords(vocabulary, d.GetString());
                    if (property.Value.TryGetProperty("enum", out JsonElement values) && values.ValueKind == JsonValueKind.Array)
                    {
                        foreach (JsonElement value in values.EnumerateArray())
                        {
                            if (value.ValueKind == JsonValueKind.String)
                                AddWords(vocabulary, value.GetString());
                        }
                    }
                    if (IsNumeric(property.Value))
                        numberParameters++;
                }
            }
            int score = 0;
            foreach (string word in hints.Words)
            {
                if (word.Length >= 3 && vocabulary.Contains(word))
                    score++;
            }
            // A prompt that names numbers fits a tool that takes them.
            if (numberParameters > 0 && hints.HasNumbers)
                score++;
            if (score > bestScore)
            {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>Whether a property schema is a number or integer (alone or with null).</summary>
    public static bool IsNumeric(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out JsonElement type))
            return false;
        if (type.ValueKind == JsonValueKind.String)
            return type.ValueEquals("number") || type.ValueEquals("integer");
        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement t in type.EnumerateArray())
            {
                if (t.ValueEquals("number") || t.ValueEquals("integer"))
                    return true;
            }
        }
        return false;
    }

    private static void AddWords(HashSet<string> vocabulary, string? text)
    {
        if (text is null)
            return;
        foreach (string word in text.Split([' ', '.', ',', ';', ':', '(', ')', '\'', '"'], StringSplitOptions.RemoveEmptyEntries))
            vocabulary.Add(word.ToLowerInvariant());
    }
}
