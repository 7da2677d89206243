namespace AotGateway;

/// <summary>Token counts for a call (<c>usage</c>), with the details servers report when they do.</summary>
public sealed class ChatUsage
{
    /// <summary>Tokens in the prompt.</summary>
    public int PromptTokens { get; init; }

    /// <summary>Tokens generated.</summary>
    public int CompletionTokens { get; init; }

    /// <summary>Prompt plus completion tokens.</summary>
    public int TotalTokens { get; init; }

    /// <summary>Prompt tokens served from cache (<c>prompt_tokens_details.cached_tokens</c>).</summary>
    public int? CachedTokens { get; init; }

    /// <summary>Audio prompt tokens (<c>prompt_tokens_details.audio_tokens</c>).</summary>
    public int? PromptAudioTokens { get; init; }

    /// <summary>Tokens spent reasoning (<c>completion_tokens_details.reasoning_tokens</c>).</summary>
    public int? ReasoningTokens { get; init; }

    /// <summary>Audio completion tokens (<c>completion_tokens_details.audio_tokens</c>).</summary>
    public int? CompletionAudioTokens { get; init; }

    /// <summary>Predicted-output tokens that appeared in the reply.</summary>
    public int? AcceptedPredictionTokens { get; init; }

    /// <summary>Predicted-output tokens that did not appear in the reply.</summary>
    public int? RejectedPredictionTokens { get; init; }
}
