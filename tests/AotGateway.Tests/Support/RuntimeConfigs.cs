using System.IO;
using System.Text.Json.Nodes;

namespace AotGateway.Tests.Support;

/// <summary>Runtime configuration files for child processes: a switch set the way an app sets it, read once at start.</summary>
internal static class RuntimeConfigs
{
    /// <summary>Writes <paramref name="target"/>: <paramref name="source"/> with the configuration property <paramref name="name"/> set.</summary>
    public static void WriteWithSwitch(string source, string target, string name, bool value)
    {
        var config = JsonNode.Parse(File.ReadAllText(source))!.AsObject();
        JsonObject options = config["runtimeOptions"]!.AsObject();
        if (options["configProperties"] is not JsonObject properties)
            options["configProperties"] = properties = new JsonObject();
        properties[name] = value;
        File.WriteAllText(target, config.ToJsonString());
    }
}
