using System;
using System.Diagnostics;

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
    public bool SawUsage { get; private set; }

    /// <summary>Whether any choice finished (a stream that ends after one did is not cut off).</summary>
    public bool SawFinishReason { get; private set; }

    /// <summary>Counts an update; returns what limit it broke, or null.</summary>
    public string? Add(ChunkData update, int maxBytes)
    {
        if (update.Usage is not null)
            SawUsage = true;
        foreach (ChoiceData choice in update.Choices)
        {
            int slot = Slot(choice.Index);
            if (slot < 0)
            {
                if (_choiceCount >= ChatCompletionAccumulator.DefaultMaxChoices)
                    return $"more than {ChatCompletionAccumulator.DefaultMaxChoices} choices";
                slot = Open(choice.Index);
            }
            if (choice.FinishReason is not null)
                SawFinishReason = true;
            if (choice.FinishReason is not null && !_finished[slot])
            {
                _finished[slot] = true;
                _openChoices--;
            }
            _bytes += CountedBytes(choice);
        }
        Debug.Assert(_openChoices >= 0 && _openChoices <= _choiceCount, "a choice finishes once, after it opened");
        return _bytes > maxBytes
            ? $"more than GatewayClientOptions.MaxStreamedBytes ({maxBytes} bytes) of text, tool arguments and log probabilities (raise it if replies this large are expected)"
            : null;
    }

    /// <summary>
    /// What one choice update adds to a reply's size: every counted slot of the choice and its tool calls. The one
    /// count behind both the stream's budget and every accumulator's.
    /// </summary>
    public static long CountedBytes(ChoiceData choice)
    {
        long bytes = choice.CountedBytes();
        foreach (ToolCallData call in choice.ToolCalls)
            bytes += call.CountedBytes();
        return bytes;
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
            if (!choice.CountedTextIsUtf8())
                return false;
            foreach (ToolCallData call in choice.ToolCalls)
            {
                if (!call.CountedTextIsUtf8())
                    return false;
            }
        }
        return true;
    }

    /// <summary>True when at least one choice arrived and every choice finished.</summary>
    public bool AllChoicesFinished => _choiceCount > 0 && _openChoices == 0;

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
