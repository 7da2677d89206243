namespace AotGateway.Generator.Model;

/// <summary>What kind of JSON a C# type maps to.</summary>
internal enum ShapeKind
{
    String,
    Boolean,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Decimal,
    DateTime,
    DateTimeOffset,
    DateOnly,
    TimeOnly,
    Guid,
    Uri,
    Enum,
    Array,
    List,
    Dictionary,
    Object,
}

/// <summary>An enum member (its C# identifier, escaped when a keyword), its JSON name and its constant value as text.</summary>
internal sealed record EnumMember(string ClrName, string JsonName, string Value);

/// <summary>
/// The JSON shape of a C# type, as plain data. <see cref="TypeName"/> is the fully qualified C# type of a
/// value (with <c>?</c> when nullable); collections carry their element's shape; a nested generated type
/// is referred to by name only, so recursive types stay finite.
/// </summary>
internal sealed record TypeShape(
    ShapeKind Kind,
    string TypeName,
    bool IsNullable,
    bool IsValueType,
    TypeShape? Element,
    string? DefName,
    EquatableArray<EnumMember> EnumMembers)
{
    public bool IsPrimitive => Kind is not (ShapeKind.Array or ShapeKind.List or ShapeKind.Dictionary or ShapeKind.Object);

    /// <summary>The type without its nullable marker: <c>int</c> for <c>int?</c>, <c>string</c> for <c>string?</c>.</summary>
    public string NonNullableTypeName => IsNullable && TypeName.EndsWith("?") ? TypeName.Substring(0, TypeName.Length - 1) : TypeName;
}
