namespace AotGateway.Relay;

/// <summary>What the page posts: <c>{"prompt":"..."}</c>, read by the generated reader.</summary>
[GatewayJson(Naming = GatewayJsonNaming.CamelCase)]
public sealed partial record ChatInput(string Prompt);
