using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using AotGateway.Testing;
using AotGateway.Tests.Generator;
using AotGateway.Tests.Support;
using Xunit;

namespace AotGateway.Tests.Chat;

public enum InvoiceStatus { Draft, Sent, Paid }

[Trait("Category", "Core")]
public sealed class Invoice
{
    public string Number { get; set; } = "";
    public decimal Total { get; set; }
    public InvoiceStatus Status { get; set; }
    public string? Note { get; set; }
    public List<InvoiceLine> Lines { get; set; } = [];
}

[Trait("Category", "Core")]
public sealed class InvoiceLine
{
    public string Sku { get; set; } = "";
    public int Quantity { get; set; }
}

[Trait("Category", "Core")]
public sealed class Category
{
    public string Name { get; set; } = "";
    public List<Category> Children { get; set; } = [];
    public Category? Parent { get; set; }
}

/// <summary>A context as a user already has one: snake_case names, enums as strings.</summary>
[JsonSerializable(typeof(Invoice))]
[JsonSerializable(typeof(Category))]
[JsonSerializable(typeof(List<InvoiceLine>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
internal sealed partial class UserJsonContext : JsonSerializerContext;

/// <summary>Structured outputs for types System.Text.Json already knows: no second annotation, a strict schema from its metadata.</summary>
[Trait("Category", "Core")]
public class JsonTypeInfoStructuredOutputTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static JsonElement SentFormat(TestGateway test, out JsonDocument document)
    {
        document = JsonDocument.Parse(test.Gateway.Requests[^1].BodyText);
        return document.RootElement.GetProperty("response_format");
    }

    [Fact]
    public async Task CompleteAsync_with_a_JsonTypeInfo_sends_a_strict_schema_in_the_contexts_names_and_reads_the_reply()
    {
        using var test = new TestGateway();
        Invoice invoice = await test.Client.CompleteAsync(TestGateway.Ask("bill it"), UserJsonContext.Default.Invoice).WaitAsync(Deadline);
        Assert.NotNull(invoice.Lines);

        JsonElement format = SentFormat(test, out JsonDocument sent);
        using (sent)
        {
            Assert.Equal("json_schema", format.GetProperty("type").GetString());
            JsonElement schema = format.GetProperty("json_schema");
            Assert.Equal("Invoice", schema.GetProperty("name").GetString());
            Assert.True(schema.GetProperty("strict").GetBoolean());
            JsonElement root = schema.GetProperty("schema");
            Assert.Empty(SchemaTests.StrictProblems(root));
            Assert.Equal("object", root.GetProperty("type").GetString());
            JsonElement properties = root.GetProperty("properties");
            foreach (string name in new[] { "number", "total", "status", "note", "lines" })
                Assert.True(properties.TryGetProperty(name, out _), name);
            Assert.Equal(["Draft", "Sent", "Paid"], [.. EnumValues(properties.GetProperty("status"))]);
        }
    }

    private static IEnumerable<string> EnumValues(JsonElement schema)
    {
        foreach (JsonElement value in schema.GetProperty("enum").EnumerateArray())
        {
            if (value.ValueKind == JsonValueKind.String)
                yield return value.GetString()!;
        }
    }

    [Fact]
    public async Task A_recursive_type_gets_references_strict_mode_accepts_and_the_reply_reads()
    {
        using var test = new TestGateway();
        Category category = await test.Client.CompleteAsync(TestGateway.Ask("categories"), UserJsonContext.Default.Category).WaitAsync(Deadline);
        Assert.NotNull(category.Name);
        JsonElement format = SentFormat(test, out JsonDocument sent);
        using (sent)
        {
            JsonElement schema = format.GetProperty("json_schema").GetProperty("schema");
            Assert.Empty(SchemaTests.StrictProblems(schema));
        }
    }

    [Fact]
    public async Task The_streamed_form_reads_with_the_same_metadata()
    {
        using var test = new TestGateway();
        ChatCompletion completion = await test.Client.StreamAsync(TestGateway.Ask("bill it"), UserJsonContext.Default.Invoice).ToCompletionAsync().WaitAsync(Deadline);
        Invoice invoice = completion.ParseContent(UserJsonContext.Default.Invoice);
        Assert.NotNull(invoice.Number);
    }

    [Fact]
    public async Task A_reply_that_does_not_fit_keeps_its_text()
    {
        using var test = new TestGateway();
        test.Gateway.Enqueue(FakeReply.Json(200, """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"{\"number\": 12"},"finish_reason":"length"}]}"""));
        var ex = await Assert.ThrowsAsync<GatewayStructuredOutputException>(() => test.Client.CompleteAsync(TestGateway.Ask("bill it"), UserJsonContext.Default.Invoice));
        Assert.Equal("{\"number\": 12", ex.RawText);
        Assert.Contains("token limit", ex.Message);
    }

    [Fact]
    public void A_type_that_is_not_an_object_is_refused_with_the_reason()
    {
        var ex = Assert.Throws<ArgumentException>(() => GatewayJson.ResponseFormat(UserJsonContext.Default.ListInvoiceLine));
        Assert.Contains("object at the root", ex.Message);
    }

    [Fact]
    public void The_format_is_built_once_per_JsonTypeInfo()
    {
        Assert.Same(GatewayJson.ResponseFormat(UserJsonContext.Default.Invoice), GatewayJson.ResponseFormat(UserJsonContext.Default.Invoice));
    }
}
