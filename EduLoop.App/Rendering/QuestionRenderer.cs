using Ganss.Xss;
using Markdig;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Caching.Memory;

namespace EduLoop.App.Rendering;

/// <summary>
/// Turns question text (Markdown with <c>$…$</c> math and, from imports, some HTML) into markup that is
/// safe to put on a page: Markdig renders it, then an allow-list sanitizer removes scripts, event
/// attributes, styles and every URL scheme but http, https and mailto. Math is left as
/// <c>&lt;span class="math"&gt;</c> for the math typesetter.
/// Results are kept (by the text, up to a few million characters), so a class on the same quiz shares
/// one copy of each question's markup and a page that renders again does not sanitize again.
/// </summary>
public sealed class QuestionRenderer : IDisposable
{
    /// <summary>The most characters (source and markup) the cache keeps.</summary>
    private const long CacheCharacters = 8_000_000;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseMathematics()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CacheCharacters });

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedSchemes.Add("mailto");
        return sanitizer;
    }

    /// <summary>Blocks of text: paragraphs, lists, tables, images.</summary>
    public MarkupString Render(string? markdown) => new(Cached(markdown, inline: false));

    /// <summary>A short text inside a line (a choice, a feedback): a single paragraph loses its &lt;p&gt;.</summary>
    public MarkupString RenderInline(string? markdown) => new(Cached(markdown, inline: true));

    /// <summary>
    /// One copy of markup that many pages build alike (a question's heading, its fields before they are
    /// answered): every caller after the first gets the first one's string, and the rest are garbage.
    /// </summary>
    public MarkupString Shared(string html)
    {
        if (_cache.TryGetValue(html, out string? kept) && kept is not null)
        {
            return new MarkupString(kept);
        }

        _cache.Set(html, html, new MemoryCacheEntryOptions { Size = html.Length, SlidingExpiration = TimeSpan.FromHours(2) });
        return new MarkupString(html);
    }

    private string Cached(string? markdown, bool inline)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }

        var key = (markdown, inline);
        if (_cache.TryGetValue(key, out string? html) && html is not null)
        {
            return html;
        }

        html = _sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
        if (inline)
        {
            html = Unwrapped(html);
        }

        _cache.Set(key, html, new MemoryCacheEntryOptions { Size = markdown.Length + html.Length, SlidingExpiration = TimeSpan.FromHours(2) });
        return html;
    }

    private static string Unwrapped(string html)
    {
        html = html.Trim();
        return html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal)
            && html.IndexOf("<p>", 3, StringComparison.Ordinal) < 0
            ? html[3..^4]
            : html;
    }

    public void Dispose() => _cache.Dispose();
}
