using System.IO;
using Xunit;

namespace AotGateway.Tests.Support;

/// <summary>
/// Approved-file checks: text compared with <c>{name}.approved.txt</c> in a folder of the repository. On a
/// difference the new text is written beside it as <c>{name}.received.txt</c>: review it, and rename it to approve.
/// </summary>
internal static class Approvals
{
    public static void Verify(string folder, string name, string actual)
    {
        string directory = Path.Combine(Processes.RepositoryRoot, folder);
        string approved = Path.Combine(directory, name + ".approved.txt");
        string received = Path.Combine(directory, name + ".received.txt");
        if (!File.Exists(approved) || File.ReadAllText(approved).ReplaceLineEndings("\n") != actual.ReplaceLineEndings("\n"))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(received, actual);
            Assert.Fail($"{name} differs from {approved}. Review {received} and rename it to .approved.txt to approve.");
        }
        if (File.Exists(received))
            File.Delete(received);
    }
}
