using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Xunit;

namespace AotGateway.Tests.Support;

/// <summary>The recorded exchanges copied into Fixtures/real (see Fixtures/README.md).</summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string RealDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "real");

    public static string OpenApiSchemas => Path.Combine(AppContext.BaseDirectory, "Fixtures", "openapi", "chat-completions-schemas.json");

    /// <summary>Every recorded exchange: its name, HTTP status, content type and response file.</summary>
    public static IEnumerable<(string Name, int Status, string ResponsePath)> Exchanges()
    {
        foreach (string meta in System.IO.Directory.GetFiles(RealDirectory, "*.meta.json"))
        {
            string name = Path.GetFileName(meta)[..^".meta.json".Length];
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(meta));
            int status = doc.RootElement.GetProperty("status").GetInt32();
            string json = Path.Combine(RealDirectory, name + ".response.json");
            string sse = Path.Combine(RealDirectory, name + ".response.sse");
            yield return (name, status, File.Exists(sse) ? sse : json);
        }
    }

    public static TheoryData<string> JsonResponses(bool success)
    {
        var data = new TheoryData<string>();
        foreach ((string name, int status, string path) in Exchanges())
        {
            if (path.EndsWith(".json", StringComparison.Ordinal) && (status == 200) == success)
                data.Add(name);
        }
        return data;
    }

    public static TheoryData<string> EventStreams()
    {
        var data = new TheoryData<string>();
        foreach ((string name, int _, string path) in Exchanges())
        {
            if (path.EndsWith(".sse", StringComparison.Ordinal))
                data.Add(name);
        }
        return data;
    }

    public static byte[] Response(string name)
    {
        string sse = Path.Combine(RealDirectory, name + ".response.sse");
        return File.ReadAllBytes(File.Exists(sse) ? sse : Path.Combine(RealDirectory, name + ".response.json"));
    }

    public static int Status(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RealDirectory, name + ".meta.json")));
        return doc.RootElement.GetProperty("status").GetInt32();
    }
}
