using System;
using System.Collections.Generic;

namespace AotGateway;

/// <summary>
/// One generated tool: its definition for the request and a typed reader for its calls, so code can recognise
/// a call without comparing strings: <c>if (reply.ToolCalls.TryGet(WeatherTools.GetWeatherTool, out var args))</c>.
/// </summary>
/// <typeparam name="TArguments">The generated argument record.</typeparam>
public sealed class GatewayTool<TArguments> where TArguments : IGatewayJson<TArguments>
{
    /// <summary>Describes the tool; its parameters schema is the argument record's strict schema.</summary>
    public GatewayTool(string name, string? description)
    {
        Definition = ChatTool.Function(name, description, TArguments.JsonSchema.ToArray(), strict: true);
    }

    /// <summary>The tool's name.</summary>
    public string Name => Definition.Name;

    /// <summary>The definition to send in <see cref="ChatRequest.Tools"/>.</summary>
    public ChatTool Definition { get; }

    /// <summary>Whether <paramref name="call"/> calls this tool.</summary>
    public bool Matches(ChatToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return string.Equals(call.Name, Name, StringComparison.Ordinal);
    }

    /// <summary>Reads the arguments of a call to this tool.</summary>
    /// <exception cref="GatewayToolException">The call is for another tool, or its arguments do not fit the parameters.</exception>
    public TArguments ParseArguments(ChatToolCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!Matches(call))
            throw new GatewayToolException($"The call is for the tool '{call.Name}', not '{Name}'.", call.Name, GatewayToolFailure.UnknownTool);
        return GatewayToolSupport.ParseArguments<TArguments>(Name, call.Arguments);
    }
}

/// <summary>Recognising generated tools among a reply's calls.</summary>
public static class GatewayToolCallExtensions
{
    /// <summary>Finds the first call to <paramref name="tool"/> and reads its arguments.</summary>
    /// <returns><see langword="false"/> when no call is for that tool.</returns>
    /// <exception cref="GatewayToolException">A call to the tool has arguments that do not fit its parameters.</exception>
    public static bool TryGet<TArguments>(this IReadOnlyList<ChatToolCall> calls, GatewayTool<TArguments> tool, out TArguments arguments)
        where TArguments : IGatewayJson<TArguments>
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(tool);
        for (int i = 0; i < calls.Count; i++)
        {
            if (tool.Matches(calls[i]))
            {
                arguments = tool.ParseArguments(calls[i]);
                return true;
            }
        }
        arguments = default!;
        return false;
    }
}
