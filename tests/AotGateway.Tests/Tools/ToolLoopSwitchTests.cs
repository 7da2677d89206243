using System;
using System.IO;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Tools;

/// <summary>
/// The AotGateway.Tools.Loop feature switch, turned off the way an app turns it off (its runtimeconfig.json, read
/// once at start): the loop refuses with a message that says how to get it back. The switch is process-wide, so the
/// check runs aotgw in a child process with a runtimeconfig of its own.
/// </summary>
[Trait("Category", "Core")]
public class ToolLoopSwitchTests
{
    [Fact]
    public async Task With_the_switch_off_the_loop_refuses_and_says_how_to_get_it_back()
    {
        string bin = Path.GetDirectoryName(CliRunner.AotgwDll)!;
        string runtimeConfig = Path.Combine(Path.GetTempPath(), "aotgw-noloop-" + Guid.NewGuid().ToString("N") + ".runtimeconfig.json");
        RuntimeConfigs.WriteWithSwitch(Path.Combine(bin, "aotgw.runtimeconfig.json"), runtimeConfig, "AotGateway.Tools.Loop", false);
        try
        {
            Processes.Result off = await Processes.RunAsync("dotnet", $"exec --runtimeconfig \"{runtimeConfig}\" \"{Path.Combine(bin, "aotgw.dll")}\" chat --tools \"What time is it?\"",
                TimeSpan.FromMinutes(1), bin, ("BASETEN_API_KEY", null));
            Assert.Equal(1, off.ExitCode);
            Assert.Contains("AotGateway.Tools.Loop", off.Error);
            Assert.DoesNotContain("   at ", off.Error);

            // The same binary with its own runtimeconfig runs the loop.
            Processes.Result on = await Processes.RunAsync("dotnet", $"exec \"{Path.Combine(bin, "aotgw.dll")}\" chat --tools \"What time is it?\"",
                TimeSpan.FromMinutes(1), bin, ("BASETEN_API_KEY", null));
            Assert.True(on.ExitCode == 0, on.Output + on.Error);
            Assert.StartsWith("The tool returned: ", on.Output);
        }
        finally
        {
            File.Delete(runtimeConfig);
        }
    }
}
