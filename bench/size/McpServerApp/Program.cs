using System.Globalization;
using AotGateway;
using AotGateway.Extensions.Mcp;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "sample", Version = "1.0.0" },
    ToolCollection = [.. SampleTools.ToolSet.AsMcpServerTools()],
};
await using (var transport = new StdioServerTransport(options))
await using (McpServer server = McpServer.Create(transport, options))
    await server.RunAsync();
Console.Error.WriteLine("peak-rss-kb: " + PeakRss.KiB());

internal enum Operation { Add, Subtract, Multiply, Divide }

internal static partial class SampleTools
{
    /// <summary>Gets the current date and time in UTC, as ISO 8601.</summary>
    [GatewayTool]
    public static string GetTime() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Does exact arithmetic on two numbers.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="operation">What to do.</param>
    /// <param name="b">The right operand.</param>
    [GatewayTool]
    public static decimal Calculate(decimal a, Operation operation, decimal b) => operation switch
    {
        Operation.Add => a + b,
        Operation.Subtract => a - b,
        Operation.Multiply => a * b,
        _ => b != 0 ? a / b : throw new ArgumentException("Division by zero."),
    };
}
