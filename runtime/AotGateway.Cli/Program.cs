using System;
using System.Threading;
using AotGateway.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var console = new CliConsole(Console.OpenStandardInput, Console.OpenStandardOutput(), Console.Error, Environment.GetEnvironmentVariable);
return await CommandLine.RunAsync(args, console, cancel.Token).ConfigureAwait(false);
