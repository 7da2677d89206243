using System;

namespace AotGateway.Infrastructure;

/// <summary>The library's identity on the wire.</summary>
internal static class LibraryInfo
{
    /// <summary>Kept equal to the package version (a test checks it against the assembly version).</summary>
    public const string Version = "0.1.0";

    public static readonly string UserAgent = $"AotGateway/{Version} (.NET {Environment.Version.Major}.{Environment.Version.Minor})";
}
