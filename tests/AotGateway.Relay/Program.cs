using AotGateway;
using AotGateway.Extensions.DependencyInjection;
using AotGateway.Extensions.Redis;
using AotGateway.Relay;
using StackExchange.Redis;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
// BASETEN_API_KEY / BASETEN_BASE_URL / BASETEN_MODEL from the environment, or the "Gateway" section.
builder.Services.AddAotGateway(builder.Configuration.GetSection("Gateway"), options =>
{
    // Replicas share the gateway's limits through Redis when one is named (Redis=host:port).
    if (builder.Configuration["Redis"] is { Length: > 0 } redis)
        options.Limits.Store = new RedisLimitStore(ConnectionMultiplexer.Connect(redis + ",abortConnect=false"));
});
// A deployment that runs socket completions on the socket engine's threads (README, "Service") runs Kestrel's
// continuations there too, as Kestrel advises: an event then goes from the gateway's socket to the caller's without
// a hop through the thread pool.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1")
    builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
WebApplication app = builder.Build();

app.MapGet("/", () => Results.Bytes(RelayPage.Html, "text/html; charset=utf-8"));
app.MapPost("/chat", (HttpContext context, GatewayClient client) => ChatRelay.RelayAsync(context, client));
app.Run();
