namespace AotGateway;

/// <summary>An event stream broke the format's limits, such as an event larger than the configured maximum.</summary>
public sealed class SseFormatException : System.FormatException
{
    internal SseFormatException(string message)
        : base(message)
    {
    }
}
