using System;

namespace AotGateway;

/// <summary>The client's bounds and expectations for one streamed reply.</summary>
/// <param name="IdleTimeout">How long the stream may send no byte at all.</param>
/// <param name="MaxEventBytes">The largest single event.</param>
/// <param name="MaxStreamedBytes">The most text, tool arguments and log probabilities the whole reply may carry.</param>
/// <param name="ExpectUsage">Whether the request asked for usage in the last chunk.</param>
internal readonly record struct StreamSettings(TimeSpan IdleTimeout, int MaxEventBytes, int MaxStreamedBytes, bool ExpectUsage);
