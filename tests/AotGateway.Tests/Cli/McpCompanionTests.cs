using System;
using System.IO;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Cli;

/// <summary>
/// aotgw built without MCP (the AotGateway.Cli.Mcp switch off, as its NativeAOT publish is) hands `mcp` and
/// `chat --mcp` to aotgw-mcp beside it. Checked on a copy of the JIT build with the switch off in its runtimeconfig
/// and a stand-in companion that shows what it was given; the real pair is checked published (AotgwCompanionTests).
/// </summary>
[Trait("Category", "Core")]
public class McpCompanionTests
{
    [Fact]
    public async Task Without_MCP_aotgw_hands_the_MCP_commands_to_its_companion_and_says_so_when_it_is_missing()
    {
        if (OperatingSystem.IsWindows())
            return; // the stand-in companion is a shell script
        string copy = Path.Combine(Path.GetTempPath(), "aotgw-nomcp-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(Path.GetDirectoryName(CliRunner.AotgwDll)!, copy);
        try
        {
            string runtimeConfig = Path.Combine(copy, "aotgw.runtimeconfig.json");
            RuntimeConfigs.WriteWithSwitch(runtimeConfig, runtimeConfig, "AotGateway.Cli.Mcp", false);
            string aotgw = $"exec \"{Path.Combine(copy, "aotgw.dll")}\"";

            Processes.Result missing = await Processes.RunAsync("dotnet", aotgw + " mcp serve", TimeSpan.FromMinutes(1), copy);
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("aotgw-mcp is not beside it", missing.Error);

            string companion = Path.Combine(copy, "aotgw-mcp");
            File.WriteAllText(companion, "#!/bin/sh\nfor a in \"$@\"; do echo \"arg: $a\"; done\necho \"the companion's error\" >&2\nexit 7\n");
            File.SetUnixFileMode(companion, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            Processes.Result served = await Processes.RunAsync("dotnet", aotgw + " mcp serve", TimeSpan.FromMinutes(1), copy);
            Assert.Equal(7, served.ExitCode);
            Assert.Equal("arg: mcp\narg: serve\n", served.Output);
            Assert.Equal("the companion's error\n", served.Error);

            // chat --mcp: every argument as given, a prompt with spaces still one argument.
            Processes.Result chat = await Processes.RunAsync("dotnet", aotgw + " chat --mcp \"my server\" --mcp-arg -x \"two words\"", TimeSpan.FromMinutes(1), copy);
            Assert.Equal(7, chat.ExitCode);
            Assert.Equal("arg: chat\narg: --mcp\narg: my server\narg: --mcp-arg\narg: -x\narg: two words\n", chat.Output);

            // A chat without --mcp stays in aotgw.
            Processes.Result plain = await Processes.RunAsync("dotnet", aotgw + " chat hello", TimeSpan.FromMinutes(1), copy, ("BASETEN_API_KEY", null));
            Assert.Equal(0, plain.ExitCode);
            Assert.Equal("You said: hello\n", plain.Output);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (string directory in Directory.GetDirectories(from))
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }
}
