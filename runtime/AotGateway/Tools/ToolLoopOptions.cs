using System;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway;

/// <summary>How <see cref="GatewayClient.RunToolsAsync"/> and <see cref="GatewayClient.StreamToolsAsync"/> run tools.</summary>
public sealed class ToolLoopOptions
{
    /// <summary>The most requests one loop sends; a model still asking for tools after that is an error. Default 8.</summary>
    public int MaxRounds { get; set; } = 8;

    /// <summary>How many calls of one reply run at once. Default 4; 1 runs them one after another.</summary>
    public int MaxConcurrentCalls { get; set; } = 4;

    /// <summary>
    /// Whether <see cref="GatewayClient.StreamToolsAsync"/> starts a call while the reply is still streaming, as soon
    /// as its arguments are complete (the next call's index appears, or the choice finishes). Default
    /// <see langword="true"/>. Calls started early are cancelled if the reply then fails; set it to
    /// <see langword="false"/> to run no tool before the whole reply has arrived.
    /// </summary>
    public bool StartCallsEarly { get; set; } = true;

    /// <summary>
    /// Whether the message of an exception a tool throws is shown to the model. Default <see langword="false"/>:
    /// the model learns only that the tool failed, since exception messages can hold what it should not see.
    /// </summary>
    public bool IncludeToolErrorMessages { get; set; }

    /// <summary>Asked before each call runs: return <see cref="ToolCallDecision.Refuse"/> to veto it (an approval step).</summary>
    public Func<ToolCallContext, CancellationToken, ValueTask<ToolCallDecision>>? ApproveCall { get; set; }

    /// <summary>
    /// Told as each call starts (after <see cref="ApproveCall"/> allowed it): with <see cref="StartCallsEarly"/>, while
    /// the reply that asked for it may still be streaming. Runs on the thread that runs the call.
    /// </summary>
    public Action<ToolCallContext>? CallStarted { get; set; }

    /// <summary>Told after each call, with what it answered or why it failed. Runs on the thread that ran the call.</summary>
    public Action<ToolCallOutcome>? CallCompleted { get; set; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRounds, 1, nameof(MaxRounds));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentCalls, 1, nameof(MaxConcurrentCalls));
    }
}

/// <summary>A call about to run: what the approval hook sees.</summary>
public sealed class ToolCallContext
{
    internal ToolCallContext(ChatToolCall call, int round)
    {
        Call = call;
        Round = round;
    }

    /// <summary>The call the model asked for.</summary>
    public ChatToolCall Call { get; }

    /// <summary>Which request of the loop asked for it, from 1.</summary>
    public int Round { get; }
}

/// <summary>Whether a call may run.</summary>
public readonly struct ToolCallDecision
{
    private ToolCallDecision(string? refusal) => RefusalMessage = refusal;

    /// <summary>Let the call run.</summary>
    public static ToolCallDecision Run => default;

    /// <summary>Do not run the call; the model is told <paramref name="message"/> instead.</summary>
    public static ToolCallDecision Refuse(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new ToolCallDecision(message);
    }

    /// <summary>Whether the call was refused.</summary>
    public bool IsRefused => RefusalMessage is not null;

    /// <summary>What the model is told when the call is refused.</summary>
    public string? RefusalMessage { get; }
}

/// <summary>What one call answered.</summary>
public sealed class ToolCallOutcome
{
    internal ToolCallOutcome(ChatToolCall call, int round, string content, GatewayToolException? error)
    {
        Call = call;
        Round = round;
        Content = content;
        Error = error;
    }

    /// <summary>The call.</summary>
    public ChatToolCall Call { get; }

    /// <summary>Which request of the loop asked for it, from 1.</summary>
    public int Round { get; }

    /// <summary>The content of the tool message sent back: the result, or a description of the error.</summary>
    public string Content { get; }

    /// <summary>Why the call did not succeed, or <see langword="null"/> when it did.</summary>
    public GatewayToolException? Error { get; }
}
