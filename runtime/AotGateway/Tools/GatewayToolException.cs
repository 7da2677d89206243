using System;

namespace AotGateway;

/// <summary>Why a tool call could not run.</summary>
public enum GatewayToolFailure
{
    /// <summary>No tool in the set has the name the model used.</summary>
    UnknownTool,

    /// <summary>The arguments are not valid JSON for the tool's parameters.</summary>
    InvalidArguments,

    /// <summary>The tool itself threw.</summary>
    ToolFailed,

    /// <summary>An approval hook refused the call.</summary>
    Refused,
}

/// <summary>
/// A tool call that could not run: an unknown name, arguments that do not fit, a tool that threw, or a call
/// the approval hook refused. The tool loop turns it into a tool message; it reaches callers of
/// <see cref="GatewayToolSet.InvokeAsync"/> and <see cref="GatewayTool{TArguments}.ParseArguments"/>.
/// </summary>
public sealed class GatewayToolException : GatewayException
{
    /// <summary>Creates the exception.</summary>
    public GatewayToolException(string message, string toolName, GatewayToolFailure failure, Exception? innerException = null)
        : base(message, innerException)
    {
        ToolName = toolName;
        Failure = failure;
    }

    /// <summary>The tool name the model used.</summary>
    public string ToolName { get; }

    /// <summary>What went wrong.</summary>
    public GatewayToolFailure Failure { get; }
}
