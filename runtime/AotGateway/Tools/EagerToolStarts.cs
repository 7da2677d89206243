namespace AotGateway;

/// <summary>
/// Watches a streamed reply's first choice for tool calls whose arguments are complete: a call is complete when a
/// later call's index appears or the choice finishes, and its arguments are one whole JSON value (a server that
/// interleaved calls would leave them unfinished, and the call then waits for the reply's end). Each complete call
/// is handed to the round once, in order.
/// </summary>
internal sealed class EagerToolStarts(ChatCompletionAccumulator accumulator, ToolRound round)
{
    private int _open = -1;     // the index of the call whose arguments are streaming
    private int _started;       // how many calls, in index order, were handed to the round
    private bool _finished;

    public void Saw(ChatUpdate update)
    {
        if (_finished)
            return;
        foreach (ChatChoiceUpdate choice in update.Choices)
        {
            if (choice.Index != 0)
                continue;
            foreach (ToolCallUpdate call in choice.ToolCalls)
            {
                if (call.Index == _open)
                    continue;
                if (_open >= 0)
                    StartOpenCall();
                _open = call.Index;
            }
            if (choice.FinishReason is not null)
            {
                if (_open >= 0)
                    StartOpenCall();
                _finished = true;
            }
        }
    }

    private void StartOpenCall()
    {
        // Only the next call in order and only once it can run, so results line up with the reply's calls and the call
        // the reply ends with is the one that ran; anything else waits for the end.
        if (accumulator.WholeToolCall(choice: 0, _open) is not { } call || accumulator.ToolCallPosition(choice: 0, _open) != _started)
        {
            _finished = true;
            return;
        }
        round.Start(call);
        _started++;
    }
}
