using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway;

/// <summary>
/// A set of tools the model may call and the code that runs them. The source generator derives one per class
/// of <see cref="GatewayToolAttribute"/> methods (its <c>ToolSet</c> property); <see cref="Combine"/> joins sets.
/// </summary>
public abstract class GatewayToolSet
{
    private readonly ChatTool[] _definitions;

    /// <summary>Creates a set with these definitions; their names must be distinct.</summary>
    protected GatewayToolSet(params ChatTool[] definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (ChatTool definition in definitions)
        {
            if (!names.Add(definition.Name))
                throw new ArgumentException($"Two tools are named '{definition.Name}': tool names in a set must be distinct.", nameof(definitions));
        }
        _definitions = definitions;
    }

    /// <summary>The definitions to send in <see cref="ChatRequest.Tools"/>.</summary>
    public IReadOnlyList<ChatTool> Definitions => _definitions;

    /// <summary>
    /// What the set is called in errors, such as a name clash in <see cref="Combine"/>: a generated set gives its
    /// class's name, a set of an MCP server its server's. By default the set's type name.
    /// </summary>
    public virtual string Name => GetType().Name;

    /// <summary>Whether the set has a tool named <paramref name="name"/>.</summary>
    public bool Contains(string name)
    {
        foreach (ChatTool definition in _definitions)
        {
            if (string.Equals(definition.Name, name, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Runs a call: reads its arguments, calls the method and returns the content of the tool message that
    /// answers it (a string result as it is, <c>ok</c> for a method with no result, anything else as JSON).
    /// </summary>
    /// <exception cref="GatewayToolException">The name is unknown or the arguments do not fit. What the tool itself throws is not wrapped.</exception>
    public ValueTask<string> InvokeAsync(ChatToolCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return TryInvoke(call.Name, call.Arguments, cancellationToken, out ValueTask<string> result)
            ? result
            : throw new GatewayToolException($"There is no tool named '{call.Name}'.", call.Name, GatewayToolFailure.UnknownTool);
    }

    /// <summary>Starts the tool named <paramref name="name"/>, or answers <see langword="false"/> when there is none.</summary>
    protected abstract bool TryInvoke(string name, string arguments, CancellationToken cancellationToken, out ValueTask<string> result);

    /// <summary>One set holding the tools of all of <paramref name="sets"/>.</summary>
    /// <exception cref="ArgumentException">Two sets have a tool of the same name (the message names the tool and both sets).</exception>
    public static GatewayToolSet Combine(params GatewayToolSet[] sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        foreach (GatewayToolSet set in sets)
            ArgumentNullException.ThrowIfNull(set, nameof(sets));
        return new CombinedToolSet(sets);
    }

    private sealed class CombinedToolSet(GatewayToolSet[] sets) : GatewayToolSet(AllDefinitions(sets))
    {
        public override string Name => string.Join(" + ", Array.ConvertAll(sets, s => s.Name));

        private static ChatTool[] AllDefinitions(GatewayToolSet[] sets)
        {
            var all = new List<ChatTool>();
            var owners = new Dictionary<string, GatewayToolSet>(StringComparer.Ordinal);
            foreach (GatewayToolSet set in sets)
            {
                foreach (ChatTool definition in set._definitions)
                {
                    if (!owners.TryAdd(definition.Name, set))
                    {
                        GatewayToolSet first = owners[definition.Name];
                        throw new ArgumentException(
                            $"The tool '{definition.Name}' is in both {first.Name} and {set.Name}: a model could not tell them apart. Rename one, or leave one set out.",
                            nameof(sets));
                    }
                }
                all.AddRange(set._definitions);
            }
            return [.. all];
        }

        protected override bool TryInvoke(string name, string arguments, CancellationToken cancellationToken, out ValueTask<string> result)
        {
            foreach (GatewayToolSet set in sets)
            {
                if (set.TryInvoke(name, arguments, cancellationToken, out result))
                    return true;
            }
            result = default;
            return false;
        }
    }
}
