using System;
using AotGateway.Testing;

namespace AotGateway.Tests.Support;

/// <summary>A client wired to an in-process fake gateway: the arrangement most tests start from.</summary>
internal sealed class TestGateway : IDisposable
{
    public const string Key = FakeGateway.DefaultKey;

    public TestGateway(Action<GatewayClientOptions>? configure = null, FakeGateway? gateway = null, TestClock? clock = null)
    {
        Clock = clock ?? new TestClock();
        Gateway = gateway ?? FakeGateway.CreateDefault(Clock);
        var options = new GatewayClientOptions
        {
            BaseUrl = new Uri("https://gateway.test/v1"),
            ApiKey = Key,
            DefaultModel = FakeGateway.DefaultModel,
            Handler = Gateway.CreateHandler(),
            TimeProvider = Clock,
        };
        configure?.Invoke(options);
        Client = new GatewayClient(options);
    }

    public FakeGateway Gateway { get; }

    public GatewayClient Client { get; }

    public TestClock Clock { get; }

    public static ChatRequest Ask(string text, string? model = null) => new([ChatMessage.User(text)]) { Model = model };

    public void Dispose() => Client.Dispose();
}
