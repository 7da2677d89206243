using AotGateway;
using AotGateway.Extensions.DependencyInjection;
using AotGateway.Relay;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
// BASETEN_API_KEY / BASETEN_BASE_URL / BASETEN_MODEL from the environment, or the "Gateway" section.
builder.Services.AddAotGateway(builder.Configuration.GetSection("Gateway"));
WebApplication app = builder.Build();

app.MapGet("/", () => Results.Bytes(RelayPage.Html, "text/html; charset=utf-8"));
app.MapPost("/chat", (HttpContext context, GatewayClient client) => ChatRelay.RelayAsync(context, client));
app.Run();
