using System.Text;
using AotGateway;

using var client = new GatewayClient(new GatewayClientOptions { BaseUrl = PeakRss.BaseUrl, ApiKey = PeakRss.Key, DefaultModel = PeakRss.Model });
var text = new StringBuilder();
await foreach (ChatUpdate update in client.StreamToolsAsync(new ChatRequest([ChatMessage.User("What time is it?")]), Tools.ToolSet))
    text.Append(Encoding.UTF8.GetString(update.ContentUtf8));
PeakRss.Print(text.ToString());

internal static partial class Tools
{
    /// <summary>Gets the time of day.</summary>
    [GatewayTool]
    public static string GetTime() => "12:00";
}
