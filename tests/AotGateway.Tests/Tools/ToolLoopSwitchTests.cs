using System;
using System.Threading.Tasks;
using AotGateway.Tests.Reliability;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Tools;

/// <summary>
/// The AotGateway.Tools.Loop feature switch, turned off: the loop refuses clearly, dispatch still works.
/// Runs alone (the switch is process-wide), after the parallel tests.
/// </summary>
[Collection(LoadTestsRunAlone.Name)]
public class ToolLoopSwitchTests
{
    [Fact]
    public async Task With_the_switch_off_the_loop_says_how_to_get_it_back_and_sets_still_dispatch()
    {
        using var test = new TestGateway();
        AppContext.SetSwitch("AotGateway.Tools.Loop", false);
        try
        {
            var ex = await Assert.ThrowsAsync<NotSupportedException>(() => test.Client.RunToolsAsync(TestGateway.Ask("x"), MoreTools.ToolSet));
            Assert.Contains("AotGateway.Tools.Loop", ex.Message);
            await Assert.ThrowsAsync<NotSupportedException>(async () =>
            {
                await foreach (ChatUpdate _ in test.Client.StreamToolsAsync(TestGateway.Ask("x"), MoreTools.ToolSet))
                {
                }
            });
            Assert.Empty(test.Gateway.Requests);
            Assert.Equal("LOUD", await MoreTools.ToolSet.InvokeAsync(new ChatToolCall("c", "shout", """{"text":"loud"}""")));
        }
        finally
        {
            AppContext.SetSwitch("AotGateway.Tools.Loop", true);
        }
        Assert.Equal(2, (await test.Client.RunToolsAsync(TestGateway.Ask("x"), MoreTools.ToolSet)).Rounds);
    }
}
