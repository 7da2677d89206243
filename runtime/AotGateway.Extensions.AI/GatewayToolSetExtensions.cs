using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace AotGateway.Extensions.AI;

/// <summary>Generated tool sets for Microsoft.Extensions.AI.</summary>
public static class GatewayToolSetExtensions
{
    /// <summary>Each tool of the set as an <see cref="AIFunction"/>, for <c>ChatOptions.Tools</c>.</summary>
    public static IList<AITool> AsAITools(this GatewayToolSet tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var functions = new List<AITool>(tools.Definitions.Count);
        foreach (ChatTool definition in tools.Definitions)
            functions.Add(new GatewayToolFunction(tools, definition));
        return functions;
    }
}
