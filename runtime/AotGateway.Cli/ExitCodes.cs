namespace AotGateway.Cli;

/// <summary>The process exit codes of <c>aotgw</c>, one per kind of failure (documented in README.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int Usage = 2;
    public const int Authentication = 3;
    public const int ModelNotFound = 4;
    public const int BadRequest = 5;
    public const int RateLimited = 6;
    public const int UsageLimit = 7;
    public const int ServerError = 8;
    public const int Timeout = 9;
    public const int Connection = 10;
    public const int StreamFailed = 11;
    public const int Protocol = 12;
    public const int Input = 13;
    public const int StructuredOutput = 14;
    public const int ToolLoop = 15;

    public static int For(GatewayException error) => error switch
    {
        GatewayAuthenticationException => Authentication,
        GatewayModelNotFoundException => ModelNotFound,
        GatewayBadRequestException => BadRequest,
        GatewayRateLimitException { IsUsageLimit: true } => UsageLimit,
        GatewayRateLimitException => RateLimited,
        GatewayServerException => ServerError,
        GatewayTimeoutException => Timeout,
        GatewayConnectionException => Connection,
        GatewayStreamException => StreamFailed,
        GatewayProtocolException => Protocol,
        GatewayStructuredOutputException => StructuredOutput,
        GatewayToolLoopException => ToolLoop,
        _ => Unexpected,
    };
}
