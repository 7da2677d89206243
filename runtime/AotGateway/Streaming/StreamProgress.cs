using System;
using System.Diagnostics;
using System.Text.Unicode;

namespace AotGateway;

/// <summary>
/// What a stream has delivered so far, kept without holding any of it: how many bytes of text it carried,
/// which choices it opened and which of them finished. It bounds a stream that never ends and tells whether a
/// stream that stopped short of <c>[DONE]</c> nonetheless delivered a whole reply.
/// </summary>
internal sealed class StreamProgress
{
    private int[] _choices = new int[1];
    private bool[] _finished = new bool[1];
    private int _choiceCount;
    private int _openChoices;
    private long _bytes;

    /// <summary>Whether a chunk carried usage.</summary>
    public bool SawUsage { get; set; }

    /// <summary>Counts an update; returns what limit it broke, or null.</summary>
    public string? Add(ChunkData update, int maxBytes)
    {
        foreach (ChoiceData choice in update.Choices)
        {
            int slot = Slot(choice.Index);
            if (slot < 0)
            {
                if (_choiceCount >= ChatCompletionAccumulator.DefaultMaxChoices)
                    return $"more than {ChatCompletionAccumulator.DefaultMaxChoices} choices";
                slot = Open(choice.Index);
            }
            if (choice.FinishReason is not null && !_finished[slot])
            {
                _finished[slot] = true;
                _openChoices--;
            }
            _bytes += choice.ContentUtf8.Length + choice.ReasoningUtf8.Length + choice.RefusalUtf8.Length + choice.LogprobsJson.Length;
            foreach (ToolCallData call in choice.ToolCalls)
                _bytes += call.ArgumentsUtf8.Length + call.NameUtf8.Length;
        }
        Debug.Assert(_openChoices >= 0 && _openChoices <= _choiceCount, "a choice finishes once, after it opened");
        return _bytes > maxBytes
            ? $"more than GatewayClientOptions.MaxStreamedBytes ({maxBytes} bytes) of text, tool arguments and log probabilities (raise it if replies this large are expected)"
            : null;
    }

    /// <summary>
    /// Whether every text of the update is valid UTF-8. The chunk reader slices strings without transcoding
    /// them, so this is where a streamed reply meets the rule a non-streamed one meets when its strings are
    /// decoded: text that is not UTF-8 is a malformed reply, not bytes to pass on.
    /// </summary>
    public static bool IsValidUtf8(ChunkData update)
    {
        foreach (ChoiceData choice in update.Choices)
        {
            if (!Utf8.IsValid(choice.ContentUtf8) || !Utf8.IsValid(choice.ReasoningUtf8) || !Utf8.IsValid(choice.RefusalUtf8))
                return false;
            foreach (ToolCallData call in choice.ToolCalls)
            {
                if (!Utf8.IsValid(call.ArgumentsUtf8) || !Utf8.IsValid(call.NameUtf8))
                    return false;
            }
        }
        return true;
    }

    /// <summary>True when at least one choice arrived, every choice finished, and usage came if it was asked for.</summary>
    public bool IsComplete(bool expectUsage) => _choiceCount > 0 && _openChoices == 0 && (SawUsage || !expectUsage);

    private int Slot(int index)
    {
        // Almost every stream has one choice: a linear search over at most 128 is cheaper than hashing.
        for (int i = 0; i < _choiceCount; i++)
        {
            if (_choices[i] == index)
                return i;
        }
        return -1;
    }

    private int Open(int index)
    {
        if (_choiceCount == _choices.Length)
        {
            Array.Resize(ref _choices, _choices.Length * 2);
            Array.Resize(ref _finished, _finished.Length * 2);
        }
        _choices[_choiceCount] = index;
        _finished[_choiceCount] = false;
        _openChoices++;
        return _choiceCount++;
    }
}
