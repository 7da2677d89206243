using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Errors;

/// <summary>
/// 429 bodies that OpenAI-compatible providers sent, as users quoted them in public issues (sources in the
/// corpus file, Fixtures/ratelimits/429-corpus.json), plus the cases issue 13 found misread: each is read as the
/// rate limit or usage limit it is, with the wait it names.
/// </summary>
[Trait("Category", "Core")]
public sealed class RateLimitCorpusTests
{
    public static TheoryData<int> Entries()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Corpus().GetArrayLength(); i++)
            data.Add(i);
        return data;
    }

    private static JsonElement Corpus()
    {
        string path = Path.Combine(Fixtures.Directory, "ratelimits", "429-corpus.json");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Each_recorded_429_is_read_as_the_limit_it_is(int entry)
    {
        JsonElement item = Corpus()[entry];
        using var response = new HttpResponseMessage((System.Net.HttpStatusCode)429);
        foreach (JsonProperty header in item.GetProperty("headers").EnumerateObject())
            response.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        string model = item.GetProperty("model").GetString()!;
        GatewayException error = GatewayErrorFactory.FromResponse(429, response.Headers, "application/json",
            Encoding.UTF8.GetBytes(item.GetProperty("body").GetString()!),
            new GatewayErrorFactory.CallContext(model, "gateway.test", "k", 1, SecretRedactor.None), DateTimeOffset.UnixEpoch);

        var limit = Assert.IsType<GatewayRateLimitException>(error);
        string provider = item.GetProperty("provider").GetString()!;
        bool usage = item.GetProperty("expected").GetString() == "usage";
        Assert.True(limit.IsUsageLimit == usage, $"{provider}: read as {(limit.IsUsageLimit ? "usage" : "rate")} limit: {limit.Message}");
        Assert.Contains(usage ? "usage limit" : "rate limit", limit.Message);
        if (item.TryGetProperty("wait_seconds", out JsonElement wait))
            Assert.Equal(wait.GetDouble(), limit.RetryAfter!.Value.TotalSeconds, 3);
    }

    [Theory]
    [InlineData("Please try again in 11.455s.", 11.455)]
    [InlineData("Please try again in 9m38.016s. Need more tokens?", 578.016)]
    [InlineData("Please retry after 45 seconds.", 45.0)]
    [InlineData("Please retry in 38.863719904s.", 38.863719904)]
    [InlineData("Try again in 2 minutes", 120.0)]
    [InlineData("retry after 1e300 seconds", 365 * 86400.0)]
    [InlineData("retry later", null)]
    [InlineData("retry in a while", null)]
    public void A_wait_named_in_the_message_is_read(string message, double? seconds)
    {
        TimeSpan? wait = RateLimitClassifier.WaitInMessage(message);
        Assert.Equal(seconds is null, wait is null);
        if (seconds is { } expected)
            Assert.Equal(expected, wait!.Value.TotalSeconds, 3);
    }
}
