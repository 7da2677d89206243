using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace AotGateway.Extensions.Mcp;

/// <summary>
/// An MCP tool result as the text of the tool message that answers the model: text blocks as they are,
/// structured content as its JSON when no block carries text, other blocks named with what they hold (a model
/// reading a tool message reads text; binary data would only spend its context).
/// </summary>
internal static class McpResultText
{
    public static string Of(CallToolResult result)
    {
        var text = new StringBuilder();
        bool sawText = false;
        foreach (ContentBlock block in result.Content)
        {
            if (text.Length > 0)
                text.Append('\n');
            switch (block)
            {
                case TextContentBlock t:
                    text.Append(t.Text);
                    sawText = true;
                    break;
                case EmbeddedResourceBlock { Resource: TextResourceContents resource }:
                    text.Append(resource.Text);
                    sawText = true;
                    break;
                case EmbeddedResourceBlock { Resource: { } resource }:
                    text.Append("[binary resource ").Append(resource.Uri).Append(", ").Append(resource.MimeType ?? "no media type").Append(']');
                    break;
                case ImageContentBlock image:
                    text.Append("[image, ").Append(image.MimeType).Append(']');
                    break;
                case AudioContentBlock audio:
                    text.Append("[audio, ").Append(audio.MimeType).Append(']');
                    break;
                case ResourceLinkBlock link:
                    text.Append("[resource ").Append(link.Name).Append(": ").Append(link.Uri).Append(']');
                    break;
                default:
                    text.Append("[content of type ").Append(block.Type).Append(']');
                    break;
            }
        }
        if (!sawText && result.StructuredContent is { } structured && structured.ValueKind != JsonValueKind.Undefined)
            return structured.GetRawText();
        return text.ToString();
    }
}
