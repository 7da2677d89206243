using System;

namespace AotGateway;

/// <summary>One part of a multi-part message: text or an image.</summary>
public sealed class ChatContentPart
{
    private ChatContentPart(string? text, string? imageUrl, string? imageDetail)
    {
        Text = text;
        ImageUrl = imageUrl;
        ImageDetail = imageDetail;
    }

    /// <summary>The text, for a text part.</summary>
    public string? Text { get; }

    /// <summary>The image URL (https or a <c>data:</c> URL), for an image part.</summary>
    public string? ImageUrl { get; }

    /// <summary>The image detail level (<c>auto</c>, <c>low</c>, <c>high</c>), when set.</summary>
    public string? ImageDetail { get; }

    /// <summary>True for an image part.</summary>
    public bool IsImage => ImageUrl is not null;

    /// <summary>A text part.</summary>
    public static ChatContentPart FromText(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null, null);

    /// <summary>An image part referring to a URL.</summary>
    public static ChatContentPart FromImageUrl(string url, string? detail = null) =>
        new(null, url ?? throw new ArgumentNullException(nameof(url)), detail);

    /// <summary>An image part carrying the image itself, sent as a base64 <c>data:</c> URL.</summary>
    public static ChatContentPart FromImageBytes(ReadOnlySpan<byte> image, string mediaType, string? detail = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        return new(null, $"data:{mediaType};base64,{Convert.ToBase64String(image)}", detail);
    }
}
