namespace AotGateway.Testing;

/// <summary>How a group's limits meet its child groups' requests, as the gateway's groups enforce them.</summary>
public enum FakeEnforcement
{
    /// <summary>The group's limits count only the requests of its own keys.</summary>
    Independent,

    /// <summary>
    /// Every request of a descendant group also counts against this group's pool, so a child can be refused with 429
    /// while it still has headroom under its own limits.
    /// </summary>
    Cascading,
}
