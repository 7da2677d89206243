using System.Text;

namespace AotGateway.Bench;

/// <summary>The in-memory event streams every decoder is fed: same bytes for every peer.</summary>
public static class StreamCorpus
{
    public const string Text = "text";
    public const string Tools = "tools";
    public const string CrlfKeepAlive = "crlf-keepalive";
    public const string Logprobs = "logprobs";

    public sealed record Corpus(string Name, byte[] Bytes, int Chunks);

    private static readonly string[] s_words = [" the", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".", " It", "'s", " a", " \\\"test\\\"", "\\n", " café"];

    /// <summary>The named stream; <paramref name="scale"/> multiplies its length (for allocation per extra chunk).</summary>
    public static Corpus Get(string name, int scale = 1) => name switch
    {
        Text => TextStream(4_000 * scale, crlf: false, keepAliveEvery: 0, Text),
        CrlfKeepAlive => TextStream(4_000 * scale, crlf: true, keepAliveEvery: 10, CrlfKeepAlive),
        Tools => ToolStream(3, 500 * scale),
        Logprobs => LogprobStream(1_000 * scale),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static string Header => "{\"id\":\"chatcmpl-D8dV4fIhj9EeF5vu9iDuZYuG5qp3o\",\"object\":\"chat.completion.chunk\",\"created\":1770950834,\"model\":\"acme/llama-3-70b\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_ad98c18a04\",";

    private static Corpus TextStream(int chunks, bool crlf, int keepAliveEvery, string name)
    {
        string nl = crlf ? "\r\n" : "\n";
        var s = new StringBuilder();
        int count = 0;
        void Event(string json)
        {
            if (keepAliveEvery > 0 && count % keepAliveEvery == 0)
                s.Append(": keep-alive").Append(nl).Append(nl);
            s.Append("data: ").Append(json).Append(nl).Append(nl);
            count++;
        }
        Event(Header + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"XxwhkDiU7MNUsY\"}");
        for (int i = 0; i < chunks - 3; i++)
            Event(Header + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + s_words[i % s_words.Length] + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"0CaBHUgMMhGkY\"}");
        Event(Header + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null,\"obfuscation\":\"Pj5ynOX\"}");
        Event(Header + "\"choices\":[],\"usage\":{\"prompt_tokens\":26,\"completion_tokens\":3997,\"total_tokens\":4023,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"obfuscation\":\"\"}");
        s.Append("data: [DONE]").Append(nl).Append(nl);
        return new Corpus(name, Encoding.UTF8.GetBytes(s.ToString()), count);
    }

    private static Corpus ToolStream(int calls, int fragmentsPerCall)
    {
        var s = new StringBuilder();
        int count = 0;
        void Event(string json)
        {
            s.Append("data: ").Append(json).Append("\n\n");
            count++;
        }
        Event(Header + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");
        string[] names = ["get_weather", "get_time", "lookup_order"];
        for (int call = 0; call < calls; call++)
        {
            Event(Header + $"\"choices\":[{{\"index\":0,\"delta\":{{\"tool_calls\":[{{\"index\":{call},\"id\":\"call_{call}abcDEF\",\"type\":\"function\",\"function\":{{\"name\":\"{names[call % names.Length]}\",\"arguments\":\"\"}}}}]}},\"logprobs\":null,\"finish_reason\":null}}],\"usage\":null}}");
            // The fragments of one call add up to one valid JSON object, as a model's do.
            string[] opening = ["{\\\"", "city", "\\\":", " \\\"", "San", " Francisco", "\\\",", " \\\"", "notes", "\\\":", " \\\""];
            string[] closing = ["\\\",", " \\\"", "unit", "\\\":", " \\\"", "celsius", "\\\"}"];
            string[] words = [" bring", " an", " umbrella", ",", " maybe", " two"];
            for (int f = 0; f < fragmentsPerCall; f++)
            {
                string piece = f < opening.Length ? opening[f]
                    : f >= fragmentsPerCall - closing.Length ? closing[f - (fragmentsPerCall - closing.Length)]
                    : words[f % words.Length];
                Event(Header + $"\"choices\":[{{\"index\":0,\"delta\":{{\"tool_calls\":[{{\"index\":{call},\"function\":{{\"arguments\":\"{piece}\"}}}}]}},\"logprobs\":null,\"finish_reason\":null}}],\"usage\":null}}");
            }
        }
        Event(Header + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":null}");
        s.Append("data: [DONE]\n\n");
        return new Corpus(Tools, Encoding.UTF8.GetBytes(s.ToString()), count);
    }

    /// <summary>
    /// Text with <c>logprobs: true, top_logprobs: 2</c>, as OpenAI writes it: every chunk carries its token's
    /// numbers outside the text, so no two chunks repeat around their strings and the chunk template rests.
    /// </summary>
    private static Corpus LogprobStream(int chunks)
    {
        var s = new StringBuilder();
        int count = 0;
        void Event(string json)
        {
            s.Append("data: ").Append(json).Append("\n\n");
            count++;
        }
        Event(Header + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":{\"content\":[],\"refusal\":null},\"finish_reason\":null}],\"usage\":null}");
        string[] tokens = [" the", " quick", " brown", " fox", " jumps", " over", " lazy", " dog", "."];
        for (int i = 0; i < chunks - 2; i++)
        {
            string token = tokens[i % tokens.Length];
            string bytes = string.Join(",", Encoding.UTF8.GetBytes(token));
            string logprob = (-0.0001 * (i % 997 + 1)).ToString("0.0000000", System.Globalization.CultureInfo.InvariantCulture);
            string other = tokens[(i + 3) % tokens.Length];
            string otherBytes = string.Join(",", Encoding.UTF8.GetBytes(other));
            Event(Header + $"\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{token}\"}},\"logprobs\":{{\"content\":[{{\"token\":\"{token}\",\"logprob\":{logprob},\"bytes\":[{bytes}],\"top_logprobs\":[{{\"token\":\"{token}\",\"logprob\":{logprob},\"bytes\":[{bytes}]}},{{\"token\":\"{other}\",\"logprob\":-{i % 7 + 3}.25,\"bytes\":[{otherBytes}]}}]}}],\"refusal\":null}},\"finish_reason\":null}}],\"usage\":null}}");
        }
        Event(Header + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}");
        s.Append("data: [DONE]\n\n");
        return new Corpus(Logprobs, Encoding.UTF8.GetBytes(s.ToString()), count);
    }
}
