using System;

namespace AotGateway;

/// <summary>The model was still asking for tools when the loop reached <see cref="ToolLoopOptions.MaxRounds"/>.</summary>
public sealed class GatewayToolLoopException : GatewayException
{
    /// <summary>Creates the exception (the loop builds its own; this is for tests of code that handles it).</summary>
    public GatewayToolLoopException(int rounds, ChatCompletion lastCompletion)
        : base($"The model still asked for tools after {rounds} rounds, the most ToolLoopOptions.MaxRounds allows: raise it, or check that the tools' answers let the model finish.")
    {
        ArgumentNullException.ThrowIfNull(lastCompletion);
        Rounds = rounds;
        LastCompletion = lastCompletion;
    }

    /// <summary>How many requests were sent.</summary>
    public int Rounds { get; }

    /// <summary>The last reply, which asked for more tools.</summary>
    public ChatCompletion LastCompletion { get; }
}
