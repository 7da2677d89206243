using System.Collections.Generic;

namespace AotGateway;

/// <summary>Log probabilities of a choice's tokens (<c>logprobs</c>).</summary>
public sealed class ChatLogprobs
{
    /// <summary>Creates log probabilities for content and refusal tokens.</summary>
    public ChatLogprobs(IReadOnlyList<ChatTokenLogprob>? content, IReadOnlyList<ChatTokenLogprob>? refusal)
    {
        Content = content;
        Refusal = refusal;
    }

    /// <summary>Per-token log probabilities of the content.</summary>
    public IReadOnlyList<ChatTokenLogprob>? Content { get; }

    /// <summary>Per-token log probabilities of the refusal.</summary>
    public IReadOnlyList<ChatTokenLogprob>? Refusal { get; }
}

/// <summary>One token with its log probability and, when requested, its most likely alternatives.</summary>
public sealed class ChatTokenLogprob
{
    /// <summary>Creates a token entry.</summary>
    public ChatTokenLogprob(string token, double logprob, IReadOnlyList<int>? bytes, IReadOnlyList<ChatTokenLogprob> topLogprobs)
    {
        Token = token;
        Logprob = logprob;
        Bytes = bytes;
        TopLogprobs = topLogprobs;
    }

    /// <summary>The token text.</summary>
    public string Token { get; }

    /// <summary>Its log probability.</summary>
    public double Logprob { get; }

    /// <summary>Its UTF-8 bytes, when sent (tokens can split characters).</summary>
    public IReadOnlyList<int>? Bytes { get; }

    /// <summary>The most likely tokens at this position.</summary>
    public IReadOnlyList<ChatTokenLogprob> TopLogprobs { get; }
}
