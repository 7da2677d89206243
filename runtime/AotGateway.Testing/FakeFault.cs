using System;

namespace AotGateway.Testing;

/// <summary>What goes wrong while a reply is delivered. Body offsets count the body's bytes, not the HTTP framing.</summary>
public enum FakeFaultKind
{
    /// <summary>Nothing: the reply is delivered whole.</summary>
    None,

    /// <summary>The connection is reset before any response byte.</summary>
    ResetBeforeHeaders,

    /// <summary>The server accepts the request and then sends nothing.</summary>
    StallBeforeHeaders,

    /// <summary>The connection is reset after <see cref="FakeFault.AfterBodyBytes"/> body bytes.</summary>
    ResetAfterBodyBytes,

    /// <summary>The connection is closed cleanly after <see cref="FakeFault.AfterBodyBytes"/> body bytes, as if the body had ended.</summary>
    TruncateAfterBodyBytes,

    /// <summary>The server stops sending after <see cref="FakeFault.AfterBodyBytes"/> body bytes but keeps the connection open.</summary>
    StallAfterBodyBytes,

    /// <summary>The body is delivered one byte per write, with <see cref="FakeFault.Delay"/> between writes.</summary>
    Drip,

    /// <summary>The body is delivered in writes of <see cref="FakeFault.AfterBodyBytes"/> bytes, ignoring event boundaries.</summary>
    OddChunks,
}

/// <summary>A fault to inject into one reply.</summary>
public sealed record FakeFault(FakeFaultKind Kind, int AfterBodyBytes = 0, TimeSpan Delay = default)
{
    /// <summary>No fault.</summary>
    public static FakeFault None { get; } = new(FakeFaultKind.None);
}
