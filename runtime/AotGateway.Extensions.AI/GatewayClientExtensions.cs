using Microsoft.Extensions.AI;

namespace AotGateway.Extensions.AI;

/// <summary>The gateway client for Microsoft.Extensions.AI.</summary>
public static class GatewayClientExtensions
{
    /// <summary>This client as a Microsoft.Extensions.AI <see cref="IChatClient"/> (disposing it leaves the client open).</summary>
    public static IChatClient AsIChatClient(this GatewayClient client) => new GatewayChatClient(client);
}
