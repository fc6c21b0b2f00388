using Ganss.Xss;
using Markdig;
using Microsoft.AspNetCore.Components;

namespace EduLoop.App.Rendering;

/// <summary>
/// Turns question text (Markdown with <c>$…$</c> math and, from imports, some HTML) into markup that is
/// safe to put on a page: Markdig renders it, then an allow-list sanitizer removes scripts, event
/// attributes, styles and every URL scheme but http, https and mailto. Math is left as
/// <c>&lt;span class="math"&gt;</c> for the math typesetter.
/// </summary>
public sealed class QuestionRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseMathematics()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedSchemes.Add("mailto");
        return sanitizer;
    }

    /// <summary>Blocks of text: paragraphs, lists, tables, images.</summary>
    public MarkupString Render(string? markdown) =>
        new(string.IsNullOrWhiteSpace(markdown) ? "" : _sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline)));

    /// <summary>A short text inside a line (a choice, a feedback): a single paragraph loses its &lt;p&gt;.</summary>
    public MarkupString RenderInline(string? markdown)
    {
        var html = Render(markdown).Value.Trim();
        if (html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal)
            && html.IndexOf("<p>", 3, StringComparison.Ordinal) < 0)
        {
            html = html[3..^4];
        }

        return new MarkupString(html);
    }
}
