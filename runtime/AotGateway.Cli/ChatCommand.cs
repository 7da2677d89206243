using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AotGateway.Testing;

namespace AotGateway.Cli;

/// <summary><c>aotgw chat</c>: sends one prompt and prints the reply as it arrives.</summary>
internal static class ChatCommand
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        string? model = null, system = null, schema = null;
        bool stream = true, showReasoning = false, tools = false, partial = false;
        string? mcpServer = null;
        var mcpArguments = new List<string>();
        var prompt = new List<string>();
        bool optionsEnded = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (optionsEnded)
            {
                prompt.Add(args[i]);
                continue;
            }
            switch (args[i])
            {
                case "--":
                    optionsEnded = true;
                    break;
                case "-m" or "--model":
                    model = i + 1 < args.Length ? args[++i] : throw new UsageException("-m needs a model slug such as acme/llama-3-70b");
                    break;
                case "-s" or "--system":
                    system = i + 1 < args.Length ? args[++i] : throw new UsageException("-s needs a system prompt");
                    break;
                case "--schema":
                    schema = i + 1 < args.Length ? args[++i] : throw new UsageException($"--schema needs a sample name ({Samples.SchemaSamples.Names})");
                    break;
                case "--no-stream":
                    stream = false;
                    break;
                case "--partial":
                    partial = true;
                    break;
                case "--show-reasoning":
                    showReasoning = true;
                    break;
                case "--tools":
                    tools = true;
                    break;
                case "--mcp":
                    mcpServer = i + 1 < args.Length ? args[++i] : throw new UsageException("--mcp needs an MCP server's command, run over stdio");
                    tools = true;
                    break;
                case "--mcp-arg":
                    mcpArguments.Add(i + 1 < args.Length ? args[++i] : throw new UsageException("--mcp-arg needs an argument for the MCP server's command"));
                    break;
                case var option when option.StartsWith('-') && option.Length > 1:
                    throw new UsageException($"unknown option '{option}'");
                default:
                    prompt.Add(args[i]);
                    break;
            }
        }
        if (prompt.Count == 0)
            throw new UsageException("chat needs a prompt, e.g. aotgw chat \"hello\"");
        if (mcpArguments.Count > 0 && mcpServer is null)
            throw new UsageException("--mcp-arg goes with --mcp COMMAND (an MCP server run over stdio)");

        if (mcpServer is not null && !McpFeature.IsInProcess)
            return await McpCompanion.RunAsync(["chat", .. args], console, cancellationToken).ConfigureAwait(false);

        CheckModel(model, console);
        using GatewayClient client = CreateClient(console);
        var request = new ChatRequest { Model = model };
        if (system is not null)
            request.Messages.Add(ChatMessage.System(system));
        request.Messages.Add(ChatMessage.User(string.Join(' ', prompt)));

        Stream output = console.Output;
        if (partial && (schema is null || !stream))
            throw new UsageException("--partial needs --schema and a streamed reply (not --no-stream)");
        if (schema is not null && partial)
        {
            await Samples.SchemaSamples.RunPartialAsync(schema, client, request, output, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        if (schema is not null)
        {
            string json = await Samples.SchemaSamples.RunAsync(schema, client, request, stream, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(output, json + "\n", cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        // Tested with the switch as a whole (not after the hand-over above) so that a build without MCP drops this call.
        if (mcpServer is not null && McpFeature.IsInProcess)
            return await RunWithMcpServerAsync(client, request, mcpServer, mcpArguments, stream, console, cancellationToken).ConfigureAwait(false);
        if (tools)
            return await RunWithToolsAsync(client, request, Samples.SampleTools.ToolSet, stream, console, cancellationToken).ConfigureAwait(false);
        if (!stream)
        {
            ChatCompletion reply = await client.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
            if (showReasoning && reply.Message?.Reasoning is { } thinking)
                await console.Error.WriteLineAsync(thinking).ConfigureAwait(false);
            await WriteTextAsync(output, reply.Content ?? DescribeNonText(reply), cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(output, "\n", cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        ChatStream replyStream = client.StreamAsync(request, cancellationToken);
        using ChatCompletionAccumulator accumulator = replyStream.CreateAccumulator();
        await foreach (ChatUpdate update in replyStream.ConfigureAwait(false))
        {
            accumulator.Add(update);
            if (showReasoning && !update.ReasoningUtf8.IsEmpty)
                await console.Error.WriteAsync(Encoding.UTF8.GetString(update.ReasoningUtf8)).ConfigureAwait(false);
            if (!update.ContentUtf8.IsEmpty)
            {
                // Text goes out as the UTF-8 bytes that arrived: no string per token.
                output.Write(update.ContentUtf8);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        ChatCompletion final = accumulator.ToCompletion();
        if (final.Content is null)
            await WriteTextAsync(output, DescribeNonText(final), cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(output, "\n", cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>The sample tools and the server's, in one request: a clash of names is refused, naming both sets.</summary>
    private static async Task<int> RunWithMcpServerAsync(GatewayClient client, ChatRequest request, string mcpServer, List<string> mcpArguments, bool stream, CliConsole console, CancellationToken cancellationToken)
    {
        await using ModelContextProtocol.Client.McpClient mcp = await McpServers.ConnectAsync(mcpServer, mcpArguments, cancellationToken).ConfigureAwait(false);
        GatewayToolSet served = await AotGateway.Extensions.Mcp.McpClientGatewayExtensions.GetGatewayToolSetAsync(mcp, cancellationToken: cancellationToken).ConfigureAwait(false);
        GatewayToolSet all = GatewayToolSet.Combine(Samples.SampleTools.ToolSet, served);
        return await RunWithToolsAsync(client, request, all, stream, console, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tool loop with <paramref name="tools"/>; each call is shown on stderr as it starts and as it completes.</summary>
    private static async Task<int> RunWithToolsAsync(GatewayClient client, ChatRequest request, GatewayToolSet tools, bool stream, CliConsole console, CancellationToken cancellationToken)
    {
        var options = new ToolLoopOptions
        {
            // A call can start while the reply that asked for it is still streaming; both moments are shown.
            CallStarted = context => console.Error.WriteLine($"aotgw: tool {context.Call.Name}({context.Call.Arguments}) started"),
            CallCompleted = outcome => console.Error.WriteLine($"aotgw: tool {outcome.Call.Name}({outcome.Call.Arguments}) -> {outcome.Content}"),
        };
        Stream output = console.Output;
        if (!stream)
        {
            ToolLoopResult result = await client.RunToolsAsync(request, tools, options, cancellationToken).ConfigureAwait(false);
            await WriteTextAsync(output, (result.Completion.Content ?? DescribeNonText(result.Completion)) + "\n", cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        await foreach (ChatUpdate update in client.StreamToolsAsync(request, tools, options, cancellationToken).ConfigureAwait(false))
        {
            if (!update.ContentUtf8.IsEmpty)
            {
                output.Write(update.ContentUtf8);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        await WriteTextAsync(output, "\n", cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string DescribeNonText(ChatCompletion reply)
    {
        if (reply.Message?.Refusal is { } refusal)
            return "[refused] " + refusal;
        var text = new StringBuilder();
        foreach (ChatToolCall call in reply.ToolCalls)
            text.Append("[tool call] ").Append(call.Name).Append(' ').Append(call.Arguments).Append('\n');
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>Writes text as UTF-8 through a small buffer: a long reply is not copied whole a second time.</summary>
    private static async Task WriteTextAsync(Stream output, string text, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The real gateway when a key is set (read exactly as the library reads it), else the built-in fake.</summary>
    /// <summary>The model and URL problems the library would report in its own terms, said in the CLI's.</summary>
    private static void CheckModel(string? model, CliConsole console)
    {
        if (model is not null)
        {
            if (!ModelSlug.IsValid(model))
                throw new UsageException($"-m '{model}' is not a model slug: use org/model, e.g. -m acme/llama-3-70b");
            return;
        }
        if (string.IsNullOrWhiteSpace(console.Environment(GatewayClient.ApiKeyVariable)))
            return; // the fake gateway has its own default model
        string? fromEnvironment = console.Environment(GatewayClient.ModelVariable)?.Trim();
        if (string.IsNullOrEmpty(fromEnvironment))
            throw new UsageException($"no model: pass -m org/model or set {GatewayClient.ModelVariable}");
        if (!ModelSlug.IsValid(fromEnvironment))
            throw new UsageException($"{GatewayClient.ModelVariable} '{fromEnvironment}' is not a model slug: use org/model, e.g. acme/llama-3-70b");
    }

    internal static GatewayClient CreateClient(CliConsole console)
    {
        if (!string.IsNullOrWhiteSpace(console.Environment(GatewayClient.ApiKeyVariable)))
        {
            string? baseUrl = console.Environment(GatewayClient.BaseUrlVariable)?.Trim();
            if (!string.IsNullOrEmpty(baseUrl))
            {
                if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                    throw new UsageException($"{GatewayClient.BaseUrlVariable} '{baseUrl}' is not an http(s) URL, e.g. https://inference.baseten.co/v1");
                if (url.Scheme == Uri.UriSchemeHttp && !EndpointRules.IsLoopback(url)) // the library's rule, said in the CLI's words
                    throw new UsageException($"{GatewayClient.BaseUrlVariable} '{baseUrl}' uses plain http to a host that is not this machine, which would send the key unencrypted: use https");
            }
            return new GatewayClient(GatewayClient.OptionsFromEnvironment(console.Environment, configure: null));
        }

        console.Error.WriteLine(
            $"aotgw: {GatewayClient.ApiKeyVariable} is not set, so this runs against the built-in fake gateway (offline). Set it to use the real gateway.");
        FakeGateway gateway = FakeGateway.CreateDefault();
        return new GatewayClient(new GatewayClientOptions
        {
            BaseUrl = new Uri("https://fake-gateway.invalid/v1"),
            ApiKey = FakeGateway.DefaultKey,
            DefaultModel = FakeGateway.DefaultModel,
            Handler = gateway.CreateHandler(),
        });
    }
}
