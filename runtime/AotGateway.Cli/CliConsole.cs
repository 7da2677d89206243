using System;
using System.IO;

namespace AotGateway.Cli;

/// <summary>What a command may touch: standard streams and the environment (replaced in tests).</summary>
internal sealed record CliConsole(Func<Stream> OpenInput, Stream Output, TextWriter Error, Func<string, string?> Environment);
