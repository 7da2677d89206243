namespace AotGateway;

/// <summary>One generated alternative of a reply.</summary>
public sealed class ChatChoice
{
    /// <summary>Creates a choice.</summary>
    public ChatChoice(int index, ChatMessage message, string? finishReason, ChatLogprobs? logprobs = null)
    {
        Index = index;
        Message = message;
        FinishReason = finishReason;
        Logprobs = logprobs;
    }

    /// <summary>The choice's index.</summary>
    public int Index { get; }

    /// <summary>The reply message.</summary>
    public ChatMessage Message { get; }

    /// <summary>Why generation stopped: see <see cref="ChatFinishReasons"/>.</summary>
    public string? FinishReason { get; }

    /// <summary>
    /// What stopped generation, beside <see cref="FinishReason"/>, when the server says (vLLM-based servers, Baseten's
    /// among them): the stop string, or the stop token's id as its digits.
    /// </summary>
    public string? StopReason { get; init; }

    /// <summary>Token log probabilities, when requested.</summary>
    public ChatLogprobs? Logprobs { get; }
}
