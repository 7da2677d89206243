using System;
using System.IO;
using System.IO.Pipelines;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Threading;
using System.Threading.Tasks;

namespace AotGateway.Cli;

/// <summary><c>aotgw sse decode|accumulate</c>: debugging tools for captured event streams.</summary>
internal static class SseCommands
{
    private static readonly JsonWriterOptions s_jsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args.Length > 2 || args[0] is not ("decode" or "accumulate"))
            throw new UsageException("use 'aotgw sse decode [FILE|-]' or 'aotgw sse accumulate [FILE|-]'");
        string path = args.Length == 2 ? args[1] : "-";
        if (path != "-" && Directory.Exists(path))
        {
            await console.Error.WriteLineAsync($"aotgw: '{path}' is a directory; give a file holding a captured event stream, or - for stdin").ConfigureAwait(false);
            return ExitCodes.Input;
        }
        Stream input;
        try
        {
            input = path == "-" ? console.OpenInput() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"aotgw: cannot open '{path}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Input;
        }
        await using (input.ConfigureAwait(false))
        {
            return args[0] == "decode"
                ? await DecodeAsync(input, console, cancellationToken).ConfigureAwait(false)
                : await AccumulateAsync(input, console, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> DecodeAsync(Stream input, CliConsole console, CancellationToken cancellationToken)
    {
        PipeReader pipe = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        using var sse = new SseReader(pipe);
        var output = new BufferedStream(console.Output, 64 * 1024);
        await using (output.ConfigureAwait(false))
        {
            using var json = new Utf8JsonWriter(output, s_jsonOptions);
            try
            {
                while (await sse.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    json.Reset(output);
                    json.WriteStartObject();
                    if (sse.HasEventType)
                        WriteText(json, "event"u8, sse.EventType);
                    WriteText(json, "data"u8, sse.Data.Span);
                    if (sse.HasId)
                        WriteText(json, "id"u8, sse.LastEventId);
                    if (sse.ReconnectionTime is { } retry)
                        json.WriteNumber("retry"u8, retry);
                    json.WriteEndObject();
                    json.Flush();
                    output.WriteByte((byte)'\n');
                }
            }
            catch (SseFormatException ex)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                await console.Error.WriteLineAsync("aotgw: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.Input;
            }
            finally
            {
                await pipe.CompleteAsync().ConfigureAwait(false);
            }
        }
        return ExitCodes.Ok;
    }

    private static async Task<int> AccumulateAsync(Stream input, CliConsole console, CancellationToken cancellationToken)
    {
        ChatStream captured = ChatStream.FromEventStream(input);
        using ChatCompletionAccumulator accumulator = captured.CreateAccumulator();
        GatewayStreamException? failure = null;
        try
        {
            await foreach (ChatUpdate update in captured.WithCancellation(cancellationToken).ConfigureAwait(false))
                accumulator.Add(update);
        }
        catch (GatewayStreamException ex)
        {
            // Print what did arrive: for a broken capture, the partial message is the useful part.
            failure = ex;
        }

        ChatCompletion completion = accumulator.ToCompletion();
        using (var json = new Utf8JsonWriter(console.Output, s_jsonOptions))
            WriteMessage(json, completion);
        await console.Output.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        await console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            await console.Error.WriteLineAsync("aotgw: " + failure.Message).ConfigureAwait(false);
            return ExitCodes.StreamFailed;
        }
        return ExitCodes.Ok;
    }

    private static void WriteMessage(Utf8JsonWriter json, ChatCompletion completion)
    {
        ChatMessage? message = completion.Message;
        json.WriteStartObject();
        WriteStringOrNull(json, "content"u8, message?.Content);
        WriteStringOrNull(json, "reasoning_content"u8, message?.Reasoning);
        WriteStringOrNull(json, "refusal"u8, message?.Refusal);
        if (message?.ToolCalls is { Count: > 0 } calls)
        {
            json.WritePropertyName("tool_calls"u8);
            ChatRequestWriter.WriteToolCalls(json, calls);
        }
        else
        {
            json.WriteNull("tool_calls"u8);
        }
        WriteStringOrNull(json, "finish_reason"u8, completion.FinishReason);
        if (completion.Usage is { } usage)
        {
            json.WritePropertyName("usage"u8);
            json.WriteStartObject();
            json.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
            json.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
            json.WriteNumber("total_tokens"u8, usage.TotalTokens);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("usage"u8);
        }
        json.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
            json.WriteNull(name);
        else
            json.WriteString(name, value);
    }

    /// <summary>Event fields are bytes; write valid UTF-8 as is and repair anything else rather than fail.</summary>
    private static void WriteText(Utf8JsonWriter json, ReadOnlySpan<byte> name, ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
            json.WriteString(name, utf8);
        else
            json.WriteString(name, Encoding.UTF8.GetString(utf8));
    }
}
