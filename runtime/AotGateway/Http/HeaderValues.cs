using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;

namespace AotGateway.Http;

/// <summary>Reads response headers as the server sent them, without the validation that can throw on odd values.</summary>
internal static class HeaderValues
{
    /// <summary>The first value of header <paramref name="name"/>, if present.</summary>
    public static bool TryGetSingle(HttpResponseHeaders headers, string name, [NotNullWhen(true)] out string? value)
    {
        if (headers.NonValidated.TryGetValues(name, out HeaderStringValues values))
        {
            foreach (string v in values)
            {
                value = v;
                return true;
            }
        }
        value = null;
        return false;
    }
}
