using System.Text.Json.Serialization;

namespace AotGateway.Tests.Support;

/// <summary>Source-generated JSON for test diagnostics (no reflection in tests either).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class TestJson : JsonSerializerContext;
