namespace AotGateway.Relay;

/// <summary>The single page, embedded in the binary.</summary>
internal static class RelayPage
{
    public static byte[] Html { get; } = Load();

    private static byte[] Load()
    {
        using Stream page = typeof(RelayPage).Assembly.GetManifestResourceStream("index.html")!;
        using var copy = new MemoryStream();
        page.CopyTo(copy);
        return copy.ToArray();
    }
}
