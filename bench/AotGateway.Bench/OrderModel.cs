using System.Text.Json.Serialization;

namespace AotGateway.Bench;

// A realistic nested type, marked for both generators so each serializes the same object to the same JSON.
[GatewayJson(Naming = GatewayJsonNaming.CamelCase)]
public sealed partial class Order
{
    public required string Id { get; init; }
    public required Customer Customer { get; init; }
    public required List<LineItem> Items { get; init; }
    public OrderStatus Status { get; init; }
    public DateTimeOffset PlacedAt { get; init; }
    public decimal Total { get; init; }
    public string? Note { get; init; }
    public required Dictionary<string, string> Tags { get; init; }
}

[GatewayJson(Naming = GatewayJsonNaming.CamelCase)]
public sealed partial class Customer
{
    public required string Name { get; init; }
    public required string Email { get; init; }
    public int LoyaltyPoints { get; init; }
    public Address? ShippingAddress { get; init; }
}

[GatewayJson(Naming = GatewayJsonNaming.CamelCase)]
public sealed partial record Address(string Street, string City, string PostCode, string Country);

[GatewayJson(Naming = GatewayJsonNaming.CamelCase)]
public sealed partial record LineItem(string Sku, string Title, int Quantity, decimal UnitPrice, bool Gift);

[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    Pending,
    Paid,
    Shipped,
    Delivered,
}

[GatewayJson(Naming = GatewayJsonNaming.CamelCase)]
public sealed partial class OrderBatch
{
    public required List<Order> Orders { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(OrderBatch))]
public sealed partial class OrderContext : JsonSerializerContext;

public static class Orders
{
    public static Order One(int i) => new()
    {
        Id = "ord_" + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture),
        Customer = new Customer
        {
            Name = "Ada Lovelace",
            Email = "ada@example.com",
            LoyaltyPoints = 1200 + i,
            ShippingAddress = new Address("12 St James's Square", "London", "SW1Y 4JH", "GB"),
        },
        Items =
        [
            new LineItem("SKU-1001", "Analytical Engine manual", 1, 49.90m, false),
            new LineItem("SKU-2002", "Punched cards (box of 500)", 3, 12.50m, true),
            new LineItem("SKU-3003", "Brass gear set \"deluxe\"", 2, 199.00m, false),
        ],
        Status = (OrderStatus)(i % 4),
        PlacedAt = new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero).AddMinutes(i),
        Total = 485.40m,
        Note = i % 2 == 0 ? null : "Leave at the door",
        Tags = new() { ["channel"] = "web", ["campaign"] = "autumn" },
    };

    public static OrderBatch Batch(int count) => new() { Orders = [.. Enumerable.Range(0, count).Select(One)] };
}
