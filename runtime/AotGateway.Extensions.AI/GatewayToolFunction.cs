using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AotGateway.Extensions.AI;

/// <summary>
/// A tool of a generated <see cref="GatewayToolSet"/> as an <see cref="AIFunction"/>: its schema is the generated
/// strict schema, and invoking it runs the generated dispatcher, so <c>FunctionInvokingChatClient</c> can call
/// it under NativeAOT (no reflection over the method).
/// </summary>
public sealed class GatewayToolFunction : AIFunction
{
    private readonly GatewayToolSet _set;
    private readonly JsonElement _schema;

    internal GatewayToolFunction(GatewayToolSet set, ChatTool definition)
    {
        _set = set;
        Name = definition.Name;
        Description = definition.Description ?? "";
        using JsonDocument schema = JsonDocument.Parse(definition.ParametersSchema.IsEmpty ? "{\"type\":\"object\",\"properties\":{}}"u8.ToArray() : definition.ParametersSchema);
        _schema = schema.RootElement.Clone();
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override string Description { get; }

    /// <inheritdoc/>
    public override JsonElement JsonSchema => _schema;

    /// <summary>
    /// Runs the tool. Its result is the tool message content the generated dispatcher wrote (JSON, or the
    /// string the method returned); arguments that do not fit are a <see cref="GatewayToolException"/>.
    /// </summary>
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string json = RequestMapping.ArgumentsJson(arguments);
        return await _set.InvokeAsync(new ChatToolCall("", Name, json), cancellationToken).ConfigureAwait(false);
    }
}
