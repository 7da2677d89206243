namespace AotGateway;

/// <summary>The finish reasons servers send.</summary>
public static class ChatFinishReasons
{
    /// <summary>The model finished its answer or hit a stop sequence.</summary>
    public const string Stop = "stop";

    /// <summary>The output token cap was reached; the reply is truncated.</summary>
    public const string Length = "length";

    /// <summary>The model asked for tool calls.</summary>
    public const string ToolCalls = "tool_calls";

    /// <summary>The reply was withheld by a content filter.</summary>
    public const string ContentFilter = "content_filter";

    /// <summary>The legacy single function call.</summary>
    public const string FunctionCall = "function_call";
}
