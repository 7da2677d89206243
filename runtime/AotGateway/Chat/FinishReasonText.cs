using System;

namespace AotGateway;

/// <summary>Maps finish reasons to shared string instances so the common ones are never allocated per reply or chunk.</summary>
internal static class FinishReasonText
{
    public static string? Intern(string? text) => text switch
    {
        null => null,
        ChatFinishReasons.Stop => ChatFinishReasons.Stop,
        ChatFinishReasons.Length => ChatFinishReasons.Length,
        ChatFinishReasons.ToolCalls => ChatFinishReasons.ToolCalls,
        ChatFinishReasons.ContentFilter => ChatFinishReasons.ContentFilter,
        ChatFinishReasons.FunctionCall => ChatFinishReasons.FunctionCall,
        _ => text,
    };

    public static string? FromUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.SequenceEqual("stop"u8)) return ChatFinishReasons.Stop;
        if (utf8.SequenceEqual("length"u8)) return ChatFinishReasons.Length;
        if (utf8.SequenceEqual("tool_calls"u8)) return ChatFinishReasons.ToolCalls;
        if (utf8.SequenceEqual("content_filter"u8)) return ChatFinishReasons.ContentFilter;
        if (utf8.SequenceEqual("function_call"u8)) return ChatFinishReasons.FunctionCall;
        return System.Text.Encoding.UTF8.GetString(utf8);
    }
}
