using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using AotGateway.Testing;
using OpenAI;
using OpenAI.Chat;
using GatewayChatMessage = AotGateway.ChatMessage;

namespace AotGateway.Bench;

/// <summary>
/// Load against the fake gateway served over loopback by a child process (so this process's CPU time and
/// allocations are the client's alone): sequential non-streamed calls and concurrent streamed calls, with
/// AotGateway and with the official OpenAI SDK (sending <c>Api-Key</c> through a pipeline policy), in one run.
/// </summary>
public static class LoadBench
{
    public static async Task<int> ServeAsync()
    {
        await using LoopbackGatewayServer server = LoopbackGatewayServer.Start(FakeGateway.CreateDefault());
        Console.WriteLine(server.Port);
        // Until the parent closes our standard input.
        await Console.In.ReadToEndAsync();
        return 0;
    }

    private sealed record Figures(string Client, string Job, int Requests, double Seconds, double CpuMs, long Allocated)
    {
        public override string ToString() =>
            $"| {Job} | {Client} | {Requests / Seconds:N0} | {CpuMs * 1000 / Requests:N1} | {Allocated / Requests:N0} |";
    }

    public static async Task<int> RunAsync(int calls, int streams, int concurrency)
    {
        // Run as the apphost ('dotnet run') or through the dotnet host ('dotnet AotGateway.Bench.dll').
        string host = Environment.ProcessPath!;
        string arguments = Path.GetFileNameWithoutExtension(host) == "dotnet" ? $"\"{typeof(LoadBench).Assembly.Location}\" serve" : "serve";
        using Process server = Process.Start(new ProcessStartInfo(host, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            int port = int.Parse((await server.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            var baseUrl = new Uri($"http://127.0.0.1:{port}/v1");
            using var gateway = new GatewayClient(new GatewayClientOptions { BaseUrl = baseUrl, ApiKey = FakeGateway.DefaultKey, DefaultModel = FakeGateway.DefaultModel });
            var options = new OpenAIClientOptions { Endpoint = baseUrl };
            options.AddPolicy(new ApiKeyHeaderPolicy(FakeGateway.DefaultKey), PipelinePosition.BeforeTransport);
            // The SDK insists on a credential; the policy above replaces its Bearer header with Api-Key.
            var openAi = new ChatClient(FakeGateway.DefaultModel, new ApiKeyCredential("unused"), options);

            var rows = new List<Figures>();
            for (int round = 0; round < 2; round++)
            {
                // The first round warms up both clients (JIT, connection pools); only the second is reported.
                int n = round == 0 ? calls / 10 : calls;
                int s = round == 0 ? streams / 10 : streams;
                Figures a = await MeasureAsync("AotGateway", "sequential calls", n, async i =>
                {
                    ChatCompletion reply = await gateway.CompleteAsync(new ChatRequest([GatewayChatMessage.User("call " + i)]));
                    Check(reply.Content, i, "call ");
                });
                Figures b = await MeasureAsync("OpenAI .NET SDK", "sequential calls", n, async i =>
                {
                    ClientResult<OpenAI.Chat.ChatCompletion> reply = await openAi.CompleteChatAsync([new UserChatMessage("call " + i)]);
                    Check(reply.Value.Content[0].Text, i, "call ");
                });
                Figures c = await MeasureConcurrentAsync("AotGateway", $"streams, {concurrency} at a time", s, concurrency, async i =>
                {
                    var text = new System.Text.StringBuilder();
                    await foreach (ChatUpdate update in gateway.StreamAsync(new ChatRequest([GatewayChatMessage.User("stream " + i)])))
                        text.Append(System.Text.Encoding.UTF8.GetString(update.ContentUtf8));
                    Check(text.ToString(), i, "stream ");
                });
                Figures d = await MeasureConcurrentAsync("OpenAI .NET SDK", $"streams, {concurrency} at a time", s, concurrency, async i =>
                {
                    var text = new System.Text.StringBuilder();
                    await foreach (StreamingChatCompletionUpdate update in openAi.CompleteChatStreamingAsync([new UserChatMessage("stream " + i)]))
                    {
                        foreach (ChatMessageContentPart part in update.ContentUpdate)
                            text.Append(part.Text);
                    }
                    Check(text.ToString(), i, "stream ");
                });
                if (round == 1)
                    rows.AddRange([a, b, c, d]);
            }
            Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version}; server: the fake gateway in a child process on 127.0.0.1");
            Console.WriteLine("| Job | Client | requests/s | client CPU µs/request | client B allocated/request |");
            Console.WriteLine("| --- | --- | ---: | ---: | ---: |");
            foreach (Figures row in rows)
                Console.WriteLine(row);
            return 0;
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000))
                server.Kill();
        }
    }

    private static void Check(string? text, int i, string prefix)
    {
        if (text != "You said: " + prefix + i)
            throw new InvalidOperationException($"wrong reply {i}: '{text}'");
    }

    private static async Task<Figures> MeasureAsync(string client, string job, int count, Func<int, Task> call)
    {
        GC.Collect();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
            await call(i);
        double seconds = clock.Elapsed.TotalSeconds;
        return new Figures(client, job, count, seconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds,
            GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static Task<Figures> MeasureConcurrentAsync(string client, string job, int count, int concurrency, Func<int, Task> call) =>
        MeasureAsync(client, job, count / concurrency, async batch =>
        {
            var running = new Task[concurrency];
            for (int k = 0; k < concurrency; k++)
                running[k] = call(batch * concurrency + k);
            await Task.WhenAll(running);
        }).ContinueWith(t => t.Result with { Requests = count / concurrency * concurrency }, TaskScheduler.Default);

    /// <summary>The gateway takes <c>Authorization: Api-Key</c>; the SDK sends Bearer, so this rewrites it per call.</summary>
    private sealed class ApiKeyHeaderPolicy(string key) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("Authorization", "Api-Key " + key);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("Authorization", "Api-Key " + key);
            await ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
