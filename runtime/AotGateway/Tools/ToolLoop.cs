using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway;

/// <summary>
/// The part of a tool loop shared by the plain and streamed forms: preparing the request, and answering one
/// reply's calls (through a <see cref="ToolRound"/>: concurrently, bounded, started as early as the reply allows)
/// with one tool message each, in the order the model made them.
/// </summary>
internal sealed class ToolLoop
{
    private readonly ChatRequest _request;
    private readonly GatewayToolSet _tools;
    private readonly ToolLoopOptions _options;

    public ToolLoop(ChatRequest request, GatewayToolSet tools, ToolLoopOptions? options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tools);
        _options = options ?? new ToolLoopOptions();
        _options.Validate();
        _request = request;
        _tools = tools;
        AddDefinitions();
    }

    public int MaxRounds => _options.MaxRounds;

    public bool StartCallsEarly => _options.StartCallsEarly;

    public int ToolCalls { get; private set; }

    public ToolLoopResult Finish(ChatCompletion completion, int rounds) => new(completion, _request.MessageList, rounds, ToolCalls);

    /// <summary>The set's definitions go into the request, after any the caller put there (a name already there is kept).</summary>
    private void AddDefinitions()
    {
        IList<ChatTool> tools = _request.Tools ??= new List<ChatTool>();
        foreach (ChatTool definition in _tools.Definitions)
        {
            bool present = false;
            foreach (ChatTool existing in tools)
                present |= existing.Name == definition.Name;
            if (!present)
                tools.Add(definition);
        }
    }

    /// <summary>A round whose calls may start before its reply ends (<see cref="ToolRound.Start"/>).</summary>
    public ToolRound BeginRound(int round, CancellationToken cancellationToken) =>
        new(this, round, _options.MaxConcurrentCalls, cancellationToken);

    /// <summary>
    /// Answers a reply that asked for tools: appends its assistant message and one tool message per call, in the
    /// model's order (calls the round started early are not run again). Returns <see langword="false"/> when the reply
    /// asked for none (the loop is over).
    /// </summary>
    public async Task<bool> AnswerAsync(ChatCompletion completion, ToolRound round)
    {
        IReadOnlyList<ChatToolCall> calls = completion.ToolCalls;
        if (calls.Count == 0 || completion.Message is not { } assistant)
            return false;
        string[] contents = await round.AnswerAsync(calls).ConfigureAwait(false);
        _request.Messages.Add(assistant);
        for (int i = 0; i < calls.Count; i++)
            _request.Messages.Add(ChatMessage.Tool(calls[i].Id, contents[i]));
        ToolCalls += calls.Count;
        return true;
    }

    /// <summary>Runs one call; every failure but cancellation becomes a message for the model.</summary>
    internal async Task<string> RunAsync(ChatToolCall call, int round, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string content;
        GatewayToolException? error = null;
        try
        {
            if (_options.ApproveCall is { } approve)
            {
                ToolCallDecision decision = await approve(new ToolCallContext(call, round), cancellationToken).ConfigureAwait(false);
                if (decision.IsRefused)
                    throw new GatewayToolException(decision.RefusalMessage!, call.Name, GatewayToolFailure.Refused);
            }
            _options.CallStarted?.Invoke(new ToolCallContext(call, round));
            content = await _tools.InvokeAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (GatewayToolException ex)
        {
            error = ex;
            content = ex.Failure == GatewayToolFailure.Refused
                ? $"Error: the call to '{call.Name}' was refused: {ex.Message}"
                : $"Error: {ex.Message}";
        }
        catch (Exception ex)
        {
            error = new GatewayToolException($"The tool '{call.Name}' failed: {ex.Message}", call.Name, GatewayToolFailure.ToolFailed, ex);
            content = _options.IncludeToolErrorMessages
                ? $"Error: the tool '{call.Name}' failed: {ex.Message}"
                : $"Error: the tool '{call.Name}' failed.";
        }
        _options.CallCompleted?.Invoke(new ToolCallOutcome(call, round, content, error));
        return content;
    }
}
