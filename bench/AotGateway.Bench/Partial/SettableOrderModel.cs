using System.Text.Json.Serialization;

namespace AotGateway.Bench;

// The order model as a System.Text.Json user writes DTOs: classes with setters, no records, no init. It reads the
// same JSON as Order; its metadata can fill it member by member, so the JsonTypeInfo path need not re-read the text.
public sealed class SettableOrderBatch
{
    public List<SettableOrder> Orders { get; set; } = [];
}

public sealed class SettableOrder
{
    public string Id { get; set; } = "";
    public SettableCustomer Customer { get; set; } = new();
    public List<SettableLineItem> Items { get; set; } = [];
    public OrderStatus Status { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public decimal Total { get; set; }
    public string? Note { get; set; }
    public Dictionary<string, string> Tags { get; set; } = [];
}

public sealed class SettableCustomer
{
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public int LoyaltyPoints { get; set; }
    public SettableAddress? ShippingAddress { get; set; }
}

public sealed class SettableAddress
{
    public string Street { get; set; } = "";
    public string City { get; set; } = "";
    public string PostCode { get; set; } = "";
    public string Country { get; set; } = "";
}

public sealed class SettableLineItem
{
    public string Sku { get; set; } = "";
    public string Title { get; set; } = "";
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public bool Gift { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SettableOrderBatch))]
public sealed partial class SettableOrderContext : JsonSerializerContext;
