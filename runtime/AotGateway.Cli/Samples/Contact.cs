using System.Collections.Generic;
using System.ComponentModel;

namespace AotGateway.Cli.Samples;

/// <summary>Contact details found in a text.</summary>
[GatewayJson(Naming = GatewayJsonNaming.SnakeCase, SchemaName = "contact")]
internal sealed partial class Contact
{
    [Description("The person's full name.")]
    public required string Name { get; init; }

    [Description("An e-mail address, when the text has one.")]
    public string? Email { get; init; }

    [Description("Phone numbers as written.")]
    public IReadOnlyList<string> Phones { get; init; } = [];
}
