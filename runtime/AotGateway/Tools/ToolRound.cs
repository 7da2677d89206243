using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway;

/// <summary>
/// One round of a tool loop: the calls the reply asks for, each started as soon as its arguments are complete (a
/// streamed reply finishes one call's arguments before the next call's index appears), at most
/// <see cref="ToolLoopOptions.MaxConcurrentCalls"/> at a time, and answered in the model's order once the reply ends.
/// A round given up (the stream failed, the caller stopped reading) cancels what it started and waits for it.
/// </summary>
internal sealed class ToolRound : IAsyncDisposable
{
    private readonly ToolLoop _loop;
    private readonly int _round;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _cancel;
    private readonly List<(ChatToolCall Call, Task<string> Result)> _started = [];
    private bool _answered;

    public ToolRound(ToolLoop loop, int round, int maxConcurrentCalls, CancellationToken cancellationToken)
    {
        _loop = loop;
        _round = round;
        _slots = new SemaphoreSlim(maxConcurrentCalls);
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>Starts a call whose arguments are complete; the result is collected by <see cref="AnswerAsync"/>.</summary>
    public void Start(ChatToolCall call) => _started.Add((call, RunInSlotAsync(call)));

    /// <summary>
    /// The results of the reply's calls, in its order: a call started early with the same id, name and arguments is
    /// not run again; any other call starts now.
    /// </summary>
    public async Task<string[]> AnswerAsync(IReadOnlyList<ChatToolCall> calls)
    {
        var results = new Task<string>[calls.Count];
        for (int i = 0; i < calls.Count; i++)
            results[i] = i < _started.Count && SameCall(_started[i].Call, calls[i]) ? _started[i].Result : RunInSlotAsync(calls[i]);
        _answered = true;
        await Task.WhenAll(results).ConfigureAwait(false);
        var contents = new string[calls.Count];
        for (int i = 0; i < calls.Count; i++)
            contents[i] = results[i].Result;
        return contents;
    }

    // Whitespace a server sends after a whole JSON value changes nothing the tool reads: the call is not run twice.
    private static bool SameCall(ChatToolCall started, ChatToolCall final) =>
        started.Id == final.Id && started.Name == final.Name
        && started.Arguments.AsSpan().TrimEnd(" \t\r\n").SequenceEqual(final.Arguments.AsSpan().TrimEnd(" \t\r\n"));

    private async Task<string> RunInSlotAsync(ChatToolCall call)
    {
        CancellationToken cancellationToken = _cancel.Token;
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Off the caller's thread and off its synchronization context (a UI thread), so a tool that blocks holds
            // neither the stream, the others nor the caller back: ForceYielding resumes on the thread pool.
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            return await _loop.RunAsync(call, _round, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A reply that never ended whole cancels what started early. Either way every call started early is waited for,
        // one the reply did not end with included, so no tool outlives its round.
        if (!_answered)
            await _cancel.CancelAsync().ConfigureAwait(false);
        foreach ((ChatToolCall _, Task<string> result) in _started)
        {
            try
            {
                await result.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _cancel.Dispose();
        _slots.Dispose();
    }
}
