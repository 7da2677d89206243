using Microsoft.Extensions.Logging;

namespace AotGateway.Extensions.Redis;

/// <summary>What the store says of Redis: the two transitions, never per call, never the key.</summary>
internal static partial class RedisLimitLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "AotGateway limits: Redis failed ({Reason}); this replica keeps limits on its own and tries Redis again in {Seconds} s.")]
    public static partial void FellBack(ILogger logger, string reason, double seconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "AotGateway limits: Redis answers again; limit state is shared again.")]
    public static partial void RedisBack(ILogger logger);
}
