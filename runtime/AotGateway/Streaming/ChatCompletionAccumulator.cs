using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using AotGateway.Json;
using AotGateway.Infrastructure;

namespace AotGateway;

/// <summary>
/// Folds streamed updates into the <see cref="ChatCompletion"/> a non-streamed call would have returned:
/// text, reasoning and refusal concatenated per choice, tool calls merged by index with their argument
/// fragments joined, finish reasons, log probabilities and usage. What it holds is bounded by
/// <see cref="MaxBytes"/>, <see cref="MaxChoices"/> and <see cref="MaxToolCalls"/>: past any of them,
/// <see cref="Add"/> throws <see cref="GatewayStreamException"/> with <see cref="GatewayStreamFailure.LimitExceeded"/>.
/// </summary>
public sealed class ChatCompletionAccumulator : IDisposable
{
    /// <summary>The default for <see cref="MaxBytes"/>: 16 MiB, some four million tokens of text.</summary>
    public const int DefaultMaxBytes = GatewayClientOptions.DefaultMaxStreamedBytes;

    /// <summary>The default for <see cref="MaxChoices"/>: 128, the most choices (<c>n</c>) OpenAI's API allows.</summary>
    public const int DefaultMaxChoices = 128;

    /// <summary>The default for <see cref="MaxToolCalls"/>.</summary>
    public const int DefaultMaxToolCalls = 1024;

    private readonly IndexedItems<ChoiceState> _choices = new();
    private long _bytes;
    private int _toolCalls;
    private RememberedText _id;
    private RememberedText _model;
    private RememberedText _fingerprint;
    private RememberedText _serviceTier;
    private long? _created;
    private ChatUsage? _usage;

    /// <summary>
    /// The most UTF-8 the reply may hold, summed over its choices: content, reasoning, refusals, tool names and
    /// arguments, and log probabilities (as their JSON). Default <see cref="DefaultMaxBytes"/>.
    /// </summary>
    public int MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>The most distinct choices (by index) the reply may have. Default <see cref="DefaultMaxChoices"/>.</summary>
    public int MaxChoices { get; init; } = DefaultMaxChoices;

    /// <summary>The most distinct tool calls (by choice and index) the reply may have. Default <see cref="DefaultMaxToolCalls"/>.</summary>
    public int MaxToolCalls { get; init; } = DefaultMaxToolCalls;

    /// <summary>Whether any update carried a finish reason.</summary>
    public bool HasFinishReason { get; private set; }

    /// <summary>Adds one update. Call it for each update, in order, before moving to the next.</summary>
    public void Add(ChatUpdate update)
    {
        ChunkData data = update.Data; // throws when the update is stale or default
        _id.Set(data.Text(TextSlot.Id));
        _model.Set(data.Text(TextSlot.Model));
        _fingerprint.Set(data.Text(TextSlot.SystemFingerprint));
        _serviceTier.Set(data.Text(TextSlot.ServiceTier));
        _created ??= data.CreatedUnixSeconds;
        if (data.Usage is { } usage)
            _usage = usage;

        foreach (ChoiceData choice in data.Choices)
        {
            if (!_choices.TryGetValue(choice.Index, out ChoiceState? state))
            {
                if (_choices.Count >= MaxChoices)
                    throw LimitExceeded($"more than MaxChoices ({MaxChoices}) choices");
                state = new ChoiceState();
                _choices.Add(choice.Index, state);
            }
            Count(choice);
            state.Add(choice, this);
            if (choice.FinishReason is not null)
                HasFinishReason = true;
        }
    }

    /// <summary>Counts what a choice update adds before anything is kept, so a limit is met before memory is spent.</summary>
    private void Count(ChoiceData choice)
    {
        _bytes += StreamProgress.CountedBytes(choice);
        if (_bytes > MaxBytes)
            throw LimitExceeded($"more than MaxBytes ({MaxBytes} bytes) of text, tool arguments and log probabilities");
    }

    private void CountToolCall()
    {
        if (++_toolCalls > MaxToolCalls)
            throw LimitExceeded($"more than MaxToolCalls ({MaxToolCalls}) tool calls");
    }

    private static GatewayStreamException LimitExceeded(string what) =>
        new($"The streamed reply holds {what}; it was abandoned rather than kept in memory.",
            GatewayErrorDetails.None(SecretRedactor.None), GatewayStreamFailure.LimitExceeded);

    /// <summary>The reply as accumulated so far.</summary>
    public ChatCompletion ToCompletion(string? requestId = null)
    {
        var choices = new List<ChatChoice>(_choices.Count);
        foreach (int index in _choices.SortedIndexes())
            choices.Add(_choices[index].ToChoice(index));
        return new ChatCompletion
        {
            Id = _id.Text,
            ObjectType = "chat.completion",
            Created = _created is { } seconds ? ChatCompletionReader.FromUnixSeconds(seconds) : null,
            Model = _model.Text,
            SystemFingerprint = _fingerprint.Text,
            ServiceTier = _serviceTier.Text,
            Choices = choices,
            Usage = _usage,
            RequestId = requestId,
        };
    }

    /// <summary>
    /// A header value that arrives on every chunk (id, model): kept as its bytes and decoded once, since
    /// comparing bytes per chunk is cheap and decoding per chunk is not.
    /// </summary>
    private struct RememberedText
    {
        private byte[]? _bytes;
        private string? _text;

        public readonly string? Text => _text;

        public void Set(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty || (_bytes is not null && utf8.SequenceEqual(_bytes)))
                return;
            _bytes = utf8.ToArray();
            _text = Encoding.UTF8.GetString(utf8);
        }
    }

    /// <summary>
    /// The tool call at <paramref name="index"/> of a choice once it can run: id and name known, arguments one whole JSON
    /// value (checked on the bytes, before any string is made); null otherwise.
    /// </summary>
    internal ChatToolCall? WholeToolCall(int choice, int index) =>
        _choices.TryGetValue(choice, out ChoiceState? state) ? state.WholeToolCall(index) : null;

    /// <summary>Where the tool call at <paramref name="index"/> stands among the choice's calls in index order.</summary>
    internal int ToolCallPosition(int choice, int index) =>
        _choices.TryGetValue(choice, out ChoiceState? state) ? state.ToolCallPosition(index) : -1;

    /// <summary>Returns pooled buffers.</summary>
    public void Dispose()
    {
        foreach (ChoiceState state in _choices.Items)
            state.Dispose();
        _choices.Clear();
    }

    private sealed class ChoiceState : IDisposable
    {
        private readonly PooledBufferWriter _content = new(256);
        private readonly PooledBufferWriter _reasoning = new(16);
        private readonly PooledBufferWriter _refusal = new(16);
        private readonly IndexedItems<ToolCallState> _calls = new();
        private List<ChatTokenLogprob>? _contentLogprobs;
        private List<ChatTokenLogprob>? _refusalLogprobs;
        private bool _hasContent;
        private bool _hasReasoning;
        private bool _hasRefusal;
        private ChatRole _role = ChatRole.Assistant;
        private string? _finishReason;
        private string? _stopReason;

        public void Add(ChoiceData choice, ChatCompletionAccumulator owner)
        {
            if (choice.Role is { } role)
                _role = role;
            _hasContent |= Append(choice, TextSlot.Content, _content);
            _hasReasoning |= Append(choice, TextSlot.Reasoning, _reasoning);
            _hasRefusal |= Append(choice, TextSlot.Refusal, _refusal);
            if (choice.FinishReason is { } finish)
                _finishReason = finish;
            if (choice.Has(TextSlot.StopReason))
                _stopReason = choice.String(TextSlot.StopReason);
            if (choice.Has(TextSlot.Logprobs))
                AddLogprobs(choice.Text(TextSlot.Logprobs));
            foreach (ToolCallData call in choice.ToolCalls)
            {
                if (!_calls.TryGetValue(call.Index, out ToolCallState? state))
                {
                    owner.CountToolCall();
                    state = new ToolCallState();
                    _calls.Add(call.Index, state);
                }
                if (call.Has(TextSlot.ToolCallId) && state.Id is null)
                    state.Id = call.String(TextSlot.ToolCallId);
                if (call.Has(TextSlot.ToolCallName))
                    state.Name.Append(call.String(TextSlot.ToolCallName));
                state.Arguments.Write(call.Text(TextSlot.ToolCallArguments));
            }
        }

        /// <summary>Appends a text slot the choice carried (possibly empty); false when it did not carry it.</summary>
        private static bool Append(ChoiceData choice, TextSlot slot, PooledBufferWriter text)
        {
            if (!choice.Has(slot))
                return false;
            text.Write(choice.Text(slot));
            return true;
        }

        private void AddLogprobs(ReadOnlySpan<byte> json)
        {
            ChatLogprobs? logprobs;
            try
            {
                var reader = new Utf8JsonReader(json, ChatCompletionReader.ReaderOptions);
                reader.Read();
                logprobs = ChatCompletionReader.ReadLogprobs(ref reader);
            }
            catch (JsonException ex)
            {
                throw new GatewayStreamException("A chunk's log probabilities are malformed: " + ex.Message,
                    GatewayErrorDetails.None(SecretRedactor.None), GatewayStreamFailure.Malformed, ex);
            }
            if (logprobs is null)
                return;
            if (logprobs.Content is { } content)
                (_contentLogprobs ??= []).AddRange(content);
            if (logprobs.Refusal is { } refusal)
                (_refusalLogprobs ??= []).AddRange(refusal);
        }

        public ChatToolCall? WholeToolCall(int index)
        {
            if (!_calls.TryGetValue(index, out ToolCallState? call) || string.IsNullOrEmpty(call.Id) || call.Name.Length == 0)
                return null;
            var scanner = new JsonScanner(call.Arguments.WrittenSpan);
            return scanner.TrySkipValue() && scanner.AtEnd ? ToCall(call) : null;
        }

        public int ToolCallPosition(int index)
        {
            int before = 0;
            foreach (int other in _calls.SortedIndexes())
            {
                if (other == index)
                    return before;
                before++;
            }
            return -1;
        }

        private static ChatToolCall ToCall(ToolCallState call) =>
            new(call.Id ?? "", call.Name.ToString(), Encoding.UTF8.GetString(call.Arguments.WrittenSpan));

        public ChatChoice ToChoice(int index)
        {
            List<ChatToolCall>? calls = null;
            foreach (int callIndex in _calls.SortedIndexes())
            {
                ToolCallState call = _calls[callIndex];
                calls ??= [];
                calls.Add(ToCall(call));
            }
            // Servers open text replies with content "" even when the reply turns out to be a refusal or tool
            // calls; the non-streamed form of those has content null, so an empty string is kept only for a plain reply.
            bool contentPresent = _hasContent && (_content.WrittenCount > 0 || (!_hasRefusal && calls is null));
            var message = new ChatMessage(_role, contentPresent ? Encoding.UTF8.GetString(_content.WrittenSpan) : null)
            {
                Reasoning = _hasReasoning ? Encoding.UTF8.GetString(_reasoning.WrittenSpan) : null,
                Refusal = _hasRefusal && _refusal.WrittenCount > 0 ? Encoding.UTF8.GetString(_refusal.WrittenSpan) : null,
                ToolCalls = calls,
            };
            ChatLogprobs? logprobs = _contentLogprobs is null && _refusalLogprobs is null
                ? null
                : new ChatLogprobs(_contentLogprobs, _refusalLogprobs);
            return new ChatChoice(index, message, _finishReason, logprobs) { StopReason = _stopReason };
        }

        public void Dispose()
        {
            _content.Dispose();
            _reasoning.Dispose();
            _refusal.Dispose();
            foreach (ToolCallState call in _calls.Items)
                call.Dispose();
        }
    }

    private sealed class ToolCallState : IDisposable
    {
        public string? Id;
        public readonly StringBuilder Name = new();
        public readonly PooledBufferWriter Arguments = new(256);

        public void Dispose() => Arguments.Dispose();
    }
}
