using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// Under NativeAOT the SDK needs the tools' types in a JsonSerializerContext (without it: NoMetadataForType at start).
var json = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions)
{
    TypeInfoResolver = JsonTypeInfoResolver.Combine(AppJson.Default, McpJsonUtilities.DefaultOptions.TypeInfoResolver),
};
var options = new McpServerOptions
{
    ServerInfo = new Implementation { Name = "sample", Version = "1.0.0" },
    ToolCollection =
    [
        McpServerTool.Create(
            [Description("Gets the current date and time in UTC, as ISO 8601.")] () => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            new McpServerToolCreateOptions { Name = "get_time", SerializerOptions = json }),
        McpServerTool.Create(
            [Description("Does exact arithmetic on two numbers.")] (
                [Description("The left operand.")] decimal a,
                [Description("What to do.")] Operation operation,
                [Description("The right operand.")] decimal b) => operation switch
            {
                Operation.Add => a + b,
                Operation.Subtract => a - b,
                Operation.Multiply => a * b,
                _ => b != 0 ? a / b : throw new ArgumentException("Division by zero."),
            },
            new McpServerToolCreateOptions { Name = "calculate", SerializerOptions = json }),
    ],
};
await using (var transport = new StdioServerTransport(options))
await using (McpServer server = McpServer.Create(transport, options))
    await server.RunAsync();
Console.Error.WriteLine("peak-rss-kb: " + PeakRss.KiB());

[JsonConverter(typeof(JsonStringEnumConverter<Operation>))]
internal enum Operation { Add, Subtract, Multiply, Divide }

[JsonSerializable(typeof(Operation))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(string))]
internal sealed partial class AppJson : JsonSerializerContext;
