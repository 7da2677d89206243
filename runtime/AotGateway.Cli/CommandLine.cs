using System;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Cli;

/// <summary>Routes <c>aotgw</c>'s arguments to a command and turns failures into one line on stderr and an exit code.</summary>
internal static class CommandLine
{
    public const string Usage = """
        aotgw — a NativeAOT client for the Baseten Frontier Gateway and OpenAI-compatible endpoints

        Usage:
          aotgw chat [-m org/model] [-s system-prompt] [--no-stream] [--show-reasoning] [--schema weather|contact [--partial]] [--tools] "prompt"
          aotgw chat --mcp COMMAND [--mcp-arg ARG]... "prompt"
                                           the sample tools and those of an MCP server run over stdio
          aotgw sse decode [FILE|-]        print each event of a captured event stream as JSON
          aotgw sse accumulate [FILE|-]    print the final message a captured chat stream adds up to
          aotgw mcp serve                  serve the sample tools (get_time, calculate) over MCP on stdio
          aotgw --version | --help

        Options end at --: aotgw chat -- "-1 is negative?" sends the prompt as written.

        Environment:
          BASETEN_API_KEY   the API key; when unset, aotgw uses its built-in fake gateway (offline)
          BASETEN_BASE_URL  the API root (default https://inference.baseten.co/v1)
          BASETEN_MODEL     the default model slug
        """;

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        try
        {
            if (args.Length == 0)
            {
                // Asked for nothing: the usage is an error message, so it goes where errors go.
                await console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            if (args[0] == "help" || AsksForHelp(args))
            {
                // Asked for help: it is the output, for a pager or grep.
                await WriteOutputLineAsync(console, Usage, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            if (args[0] is "--version" or "-V")
            {
                await WriteOutputLineAsync(console, "aotgw " + Infrastructure.LibraryInfo.Version, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            return args[0] switch
            {
                "chat" => await ChatCommand.RunAsync(args.AsSpan(1).ToArray(), console, cancellationToken).ConfigureAwait(false),
                "sse" => await SseCommands.RunAsync(args.AsSpan(1).ToArray(), console, cancellationToken).ConfigureAwait(false),
                "mcp" when McpFeature.IsInProcess => await McpCommand.RunAsync(args.AsSpan(1).ToArray(), console, cancellationToken).ConfigureAwait(false),
                "mcp" => await McpCompanion.RunAsync(args, console, cancellationToken).ConfigureAwait(false),
                _ => await UsageErrorAsync(console, $"unknown command '{args[0]}'").ConfigureAwait(false),
            };
        }
        catch (UsageException ex)
        {
            return await UsageErrorAsync(console, ex.Message).ConfigureAwait(false);
        }
        catch (GatewayStructuredOutputException ex)
        {
            await console.Error.WriteLineAsync("aotgw: " + ex.Message + (ex.RawText is { } raw ? " The reply was: " + raw : "")).ConfigureAwait(false);
            return ExitCodes.For(ex);
        }
        catch (GatewayException ex)
        {
            await console.Error.WriteLineAsync("aotgw: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.For(ex);
        }
        catch (NotSupportedException ex)
        {
            // A feature trimmed out of this build (the tool loop switch): the message says which and how to get it back.
            await console.Error.WriteLineAsync("aotgw: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Unexpected;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("aotgw: cancelled.").ConfigureAwait(false);
            return ExitCodes.Unexpected;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Configuration problems (no model, a malformed slug or URL): the message already says what to fix.
            string message = ex.Message;
            if (ex is ArgumentException { ParamName: { } name } && message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal))
                message = message[..^$" (Parameter '{name}')".Length];
            await console.Error.WriteLineAsync("aotgw: " + message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }

    private static async Task<int> UsageErrorAsync(CliConsole console, string message)
    {
        await console.Error.WriteLineAsync($"aotgw: {message}. Run 'aotgw --help' for usage.").ConfigureAwait(false);
        return ExitCodes.Usage;
    }

    /// <summary>-h or --help anywhere before <c>--</c> (after it, they are words of the prompt).</summary>
    private static bool AsksForHelp(string[] args)
    {
        foreach (string arg in args)
        {
            if (arg == "--")
                return false;
            if (arg is "-h" or "--help")
                return true;
        }
        return false;
    }

    private static async Task WriteOutputLineAsync(CliConsole console, string text, CancellationToken cancellationToken)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text + "\n");
        await console.Output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The command line itself is wrong.</summary>
internal sealed class UsageException(string message) : Exception(message);
