using System.Text;

namespace AotGateway.Generator.Parsing;

/// <summary>The naming policies of [GatewayJson], with System.Text.Json's rules for acronyms.</summary>
internal static class JsonNaming
{
    public const int AsWritten = 0;
    public const int CamelCase = 1;
    public const int SnakeCase = 2;

    public static string Apply(int policy, string name) => policy switch
    {
        CamelCase => ToCamelCase(name),
        SnakeCase => ToSnakeCase(name),
        _ => name,
    };

    /// <summary><c>FirstName</c> → <c>firstName</c>, <c>URLValue</c> → <c>urlValue</c>.</summary>
    public static string ToCamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
            return name;
        char[] chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            // Lower the leading run of capitals, but leave the capital that starts the next word.
            if (i == 1 && !char.IsUpper(chars[i]))
                break;
            bool hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (char.IsSeparator(chars[i + 1]))
                    chars[i] = char.ToLowerInvariant(chars[i]);
                break;
            }
            chars[i] = char.ToLowerInvariant(chars[i]);
        }
        return new string(chars);
    }

    /// <summary><c>FirstName</c> → <c>first_name</c>, <c>URLValue</c> → <c>url_value</c>, <c>Item2D</c> → <c>item2_d</c>.</summary>
    public static string ToSnakeCase(string name)
    {
        var result = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                bool startsWordAfterAcronym = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (previousIsLowerOrDigit || startsWordAfterAcronym)
                    result.Append('_');
                result.Append(char.ToLowerInvariant(c));
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }
}
