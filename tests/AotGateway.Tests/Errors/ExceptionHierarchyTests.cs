using System;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace AotGateway.Tests.Errors;

/// <summary>README promises every failure of a call is a GatewayException, and users test their own handlers with them.</summary>
[Trait("Category", "Core")]
public class ExceptionHierarchyTests
{
    [Fact]
    public void Every_public_exception_of_the_client_is_a_GatewayException_with_a_public_constructor()
    {
        Type[] exceptions = [.. typeof(GatewayClient).Assembly.GetExportedTypes().Where(t => typeof(Exception).IsAssignableFrom(t))];
        Assert.True(exceptions.Length >= 14, string.Join(", ", exceptions.Select(t => t.Name)));
        foreach (Type type in exceptions)
        {
            // Two building blocks keep their family's base so their own callers catch them as usual: GatewayJson's
            // reading error is a JsonException, SseReader's a FormatException. A call turns both into GatewayExceptions.
            if (type == typeof(GatewayJsonException))
            {
                Assert.True(typeof(JsonException).IsAssignableFrom(type));
                continue;
            }
            if (type == typeof(SseFormatException))
            {
                Assert.True(typeof(FormatException).IsAssignableFrom(type));
                continue;
            }
            Assert.True(typeof(GatewayException).IsAssignableFrom(type), type.Name + " is not a GatewayException");
            Assert.True(type.GetConstructors().Length > 0, type.Name + " has no public constructor");
        }
    }

    [Fact]
    public void A_user_builds_the_exceptions_their_handlers_see()
    {
        var limit = new GatewayRateLimitException("slow down")
        {
            StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(3), IsUsageLimit = true, RequestId = "req_1", ErrorCode = "usage_limit_exceeded",
        };
        GatewayException asBase = limit;
        Assert.Equal(429, asBase.StatusCode);
        Assert.Equal("slow down", asBase.Message);
        Assert.True(limit.IsUsageLimit);

        var stream = new GatewayStreamException("cut", new TimeoutException()) { Failure = GatewayStreamFailure.CutOff };
        Assert.IsType<TimeoutException>(stream.InnerException);
        Assert.Equal(GatewayStreamFailure.CutOff, stream.Failure);

        var timeout = new GatewayTimeoutException("late") { Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal(TimeSpan.FromSeconds(5), timeout.Timeout);

        var output = new GatewayStructuredOutputException("did not fit") { RawText = "{", FinishReason = "length" };
        Assert.Equal("{", output.RawText);

        GatewayException tool = new GatewayToolException("no such tool", "nope", GatewayToolFailure.UnknownTool);
        Assert.Null(tool.StatusCode);
        GatewayException loop = new GatewayToolLoopException(8, new ChatCompletion());
        Assert.Contains("8 rounds", loop.Message);
    }
}
