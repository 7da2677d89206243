using System;
using System.Diagnostics;
using System.Text;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// The telemetry of one chat call: its span and the figures its metrics need. A default instance (nobody
/// listening, or the feature switch off) does nothing, so the streaming path pays one field check per event.
/// </summary>
internal sealed class CallTelemetry
{
    private readonly Activity? _activity;
    private readonly TimeProvider _time;
    private readonly long _start;
    private string _model;
    private readonly string _host;
    private readonly string _provider;
    private string? _responseModel;
    private string? _responseId;
    private readonly int _port;
    private readonly bool _streaming;
    private bool _sawFirstChunk;
    private bool _ended;

    private CallTelemetry(Activity? activity, string model, ResolvedOptions options, bool streaming)
    {
        _activity = activity;
        _time = options.Time;
        _start = _time.GetTimestamp();
        _model = model;
        _host = options.Endpoint.Host;
        _port = options.Endpoint.Port;
        _provider = options.ProviderName;
        _streaming = streaming;
    }

    /// <summary>Starts telemetry for a call, or returns null when nobody listens.</summary>
    public static CallTelemetry? Start(string model, in RequestParameters request, ResolvedOptions options, bool streaming)
    {
        if (!FeatureSwitches.IsTelemetrySupported)
            return null;
        bool metrics = GatewayTelemetry.OperationDuration.Enabled || GatewayTelemetry.TokenUsage.Enabled || GatewayTelemetry.TimeToFirstChunk.Enabled;
        Activity? activity = GatewayTelemetry.Source.HasListeners() ? GatewayTelemetry.Source.StartActivity("chat " + model, ActivityKind.Client) : null;
        if (activity is null && !metrics)
            return null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.provider.name", options.ProviderName);
            activity.SetTag("gen_ai.request.model", model);
            activity.SetTag("server.address", options.Endpoint.Host);
            activity.SetTag("server.port", options.Endpoint.Port);
            RequestTags(activity, request);
        }
        return new CallTelemetry(activity, model, options, streaming);
    }

    /// <summary>The request's parameters the GenAI conventions name (only those the request sets).</summary>
    private static void RequestTags(Activity activity, in RequestParameters request)
    {
        if (request.MaxTokens is { } maxTokens)
            activity.SetTag("gen_ai.request.max_tokens", maxTokens);
        if (request.Temperature is { } temperature)
            activity.SetTag("gen_ai.request.temperature", temperature);
        if (request.TopP is { } topP)
            activity.SetTag("gen_ai.request.top_p", topP);
        if (request.FrequencyPenalty is { } frequency)
            activity.SetTag("gen_ai.request.frequency_penalty", frequency);
        if (request.PresencePenalty is { } presence)
            activity.SetTag("gen_ai.request.presence_penalty", presence);
        if (request.Seed is { } seed)
            activity.SetTag("gen_ai.request.seed", seed);
        if (request.N is { } n and not 1)
            activity.SetTag("gen_ai.request.choice.count", n);
        if (request.Stop is { Count: > 0 } stop)
        {
            var sequences = new string[stop.Count];
            stop.CopyTo(sequences, 0);
            activity.SetTag("gen_ai.request.stop_sequences", sequences);
        }
        if (request.OutputType is { } output)
            activity.SetTag("gen_ai.output.type", output);
    }

    /// <summary>The current call's span, if this library started it: where the transport adds retry events.</summary>
    public static void RecordRetry(int attempt, string reason, TimeSpan delay)
    {
        if (!FeatureSwitches.IsTelemetrySupported)
            return;
        Activity? activity = Activity.Current;
        if (activity is null || activity.Source != GatewayTelemetry.Source || !activity.IsAllDataRequested)
            return;
        activity.AddEvent(new ActivityEvent("gen_ai.client.retry", tags: new ActivityTagsCollection
        {
            ["retry.attempt"] = attempt,
            ["retry.reason"] = reason,
            ["retry.delay_ms"] = (long)delay.TotalMilliseconds,
        }));
    }

    /// <summary>
    /// The model could not answer and the call goes to the next slug: the span and the figures follow the slug that
    /// answers, and keep the first as <c>aotgateway.request.model.first</c>.
    /// </summary>
    public void FellBack(string from, string to, Exception reason)
    {
        if (_activity is { IsAllDataRequested: true })
        {
            if (_activity.GetTagItem("aotgateway.request.model.first") is null)
                _activity.SetTag("aotgateway.request.model.first", from);
            _activity.SetTag("gen_ai.request.model", to);
            _activity.AddEvent(new ActivityEvent("aotgateway.model_fallback", tags: new ActivityTagsCollection
            {
                ["from"] = from,
                ["to"] = to,
                ["error.type"] = reason.GetType().Name,
            }));
        }
        _model = to;
    }

    /// <summary>The first chunk of a stream has arrived.</summary>
    public void FirstChunk(ReadOnlySpan<byte> modelUtf8, ReadOnlySpan<byte> idUtf8)
    {
        if (_sawFirstChunk)
            return;
        _sawFirstChunk = true;
        double seconds = _time.GetElapsedTime(_start).TotalSeconds;

        // Kept for the span and the figures at the end: a stream's last chunks may not repeat them.
        if (!modelUtf8.IsEmpty)
            _responseModel = Encoding.UTF8.GetString(modelUtf8);
        if (GatewayTelemetry.TimeToFirstChunk.Enabled)
            GatewayTelemetry.TimeToFirstChunk.Record(seconds, Tags(_responseModel, null));
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.AddEvent(new ActivityEvent("gen_ai.first_chunk"));
            if (!idUtf8.IsEmpty)
            {
                _responseId = Encoding.UTF8.GetString(idUtf8);
                _activity.SetTag("gen_ai.response.id", _responseId);
            }
        }
    }

    /// <summary>The call succeeded (a stream passes nulls for what its first chunk said).</summary>
    public void Succeeded(string? responseId, string? responseModel, string? finishReason, int? inputTokens, int? outputTokens)
    {
        if (_ended)
            return;
        _ended = true;
        responseId ??= _responseId;
        responseModel ??= _responseModel;
        if (_activity is { IsAllDataRequested: true })
        {
            if (responseId is not null)
                _activity.SetTag("gen_ai.response.id", responseId);
            if (responseModel is not null)
                _activity.SetTag("gen_ai.response.model", responseModel);
            if (finishReason is not null)
                _activity.SetTag("gen_ai.response.finish_reasons", new[] { finishReason });
            if (inputTokens is { } input)
                _activity.SetTag("gen_ai.usage.input_tokens", input);
            if (outputTokens is { } output)
                _activity.SetTag("gen_ai.usage.output_tokens", output);
        }
        if (GatewayTelemetry.TokenUsage.Enabled)
        {
            if (inputTokens is { } input)
                GatewayTelemetry.TokenUsage.Record(input, Tags(responseModel, null, "input"));
            if (outputTokens is { } output)
                GatewayTelemetry.TokenUsage.Record(output, Tags(responseModel, null, "output"));
        }
        End(responseModel, null);
    }

    /// <summary>The call failed; <c>error.type</c> is the exception's type name (never its message).</summary>
    public void Failed(Exception exception)
    {
        if (_ended)
            return;
        _ended = true;
        string type = exception.GetType().FullName ?? exception.GetType().Name;
        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag("error.type", type);
            _activity.SetStatus(ActivityStatusCode.Error, exception is GatewayException ? exception.GetType().Name : null);
        }
        End(null, type);
    }

    /// <summary>The caller stopped reading a stream before its end: the span ends without a verdict.</summary>
    public void Abandoned()
    {
        if (_ended)
            return;
        _ended = true;
        End(null, null);
    }

    private void End(string? responseModel, string? errorType)
    {
        if (GatewayTelemetry.OperationDuration.Enabled)
            GatewayTelemetry.OperationDuration.Record(_time.GetElapsedTime(_start).TotalSeconds, Tags(responseModel, errorType));
        _activity?.Stop();
    }

    private TagList Tags(string? responseModel, string? errorType, string? tokenType = null)
    {
        var tags = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.provider.name", _provider },
            { "gen_ai.request.model", _model },
            { "server.address", _host },
            { "server.port", _port },
        };
        if (responseModel is not null)
            tags.Add("gen_ai.response.model", responseModel);
        if (errorType is not null)
            tags.Add("error.type", errorType);
        if (tokenType is not null)
            tags.Add("gen_ai.token.type", tokenType);
        if (_streaming)
            tags.Add("gen_ai.request.stream", true);
        return tags;
    }
}
