using System;

namespace AotGateway;

/// <summary>Why a streamed response failed after it had started.</summary>
public enum GatewayStreamFailure
{
    /// <summary>The server sent an <c>{"error": ...}</c> event in the stream.</summary>
    ErrorEvent,

    /// <summary>The stream ended before <c>data: [DONE]</c> or a finish reason: the reply is incomplete.</summary>
    CutOff,

    /// <summary>The stream broke (connection reset) while being read.</summary>
    ConnectionLost,

    /// <summary>The stream broke the event-stream or chunk format, or an event exceeded the size limit.</summary>
    Malformed,

    /// <summary>
    /// The reply grew past a bound on what one stream may carry (<see cref="GatewayClientOptions.MaxStreamedBytes"/>,
    /// or a <see cref="ChatCompletionAccumulator"/>'s limits): abandoned rather than held in memory.
    /// </summary>
    LimitExceeded,
}

/// <summary>A streamed response failed after it had started; what had arrived is incomplete.</summary>
public sealed class GatewayStreamException : GatewayException
{
    /// <summary>Creates the exception, for tests of code that handles it; the client builds its own. Set the properties with an object initializer.</summary>
    public GatewayStreamException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    internal GatewayStreamException(string message, GatewayErrorDetails details, GatewayStreamFailure failure, Exception? inner = null)
        : base(message, details, inner)
    {
        Failure = failure;
    }

    /// <summary>What went wrong.</summary>
    public GatewayStreamFailure Failure { get; init; }
}
