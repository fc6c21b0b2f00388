using System.Text;
using System.Text.RegularExpressions;
using EduLoop.Domain.Media;
using EduLoop.Domain.QuestionBank;
using Ganss.Xss;
using Markdig;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Caching.Memory;

namespace EduLoop.App.Rendering;

/// <summary>
/// Turns question text (Markdown with <c>$…$</c> math and, from imports, some HTML) into markup that is
/// safe to put on a page: Markdig renders it, then an allow-list sanitizer removes scripts, event
/// attributes, styles and every URL scheme but http, https and mailto. On top of the sanitizer's own
/// rules, text written by one user and shown to another may not ask for anything or phish:
/// <list type="bullet">
/// <item>no form controls (a look-alike password field or a form that posts elsewhere), and none of
/// the attributes that tie markup to the page's own fields (<c>for</c>, <c>form</c>, <c>name</c>);</item>
/// <item>images only from the app's own <c>/media/</c> store, so a page never fetches from another
/// site (a tracking image tells that site who read the question, and when);</item>
/// <item>no classes but <c>math</c>: the app's own classes (MudBlazor's <c>fixed</c>, <c>mud-overlay</c>) would let a
/// question lay a fake sign-in screen over the whole page; and no <c>id</c>, which could take the page's own
/// element names;</item>
/// <item>every link that leaves the app gets <c>rel="noopener noreferrer nofollow"</c>; <c>target</c>
/// stays only as <c>_blank</c> (a student keeps the quiz open), and such a link never gets the page
/// that opened it.</item>
/// </list>
/// Math is left as <c>&lt;span class="math"&gt;</c> for the math typesetter.
/// Results are kept (by the text, up to a few million characters), so a class on the same quiz shares
/// one copy of each question's markup and a page that renders again does not sanitize again.
/// </summary>
public sealed partial class QuestionRenderer : IDisposable
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

    /// <summary>What a link that leaves the app carries: no <c>window.opener</c>, no referrer, no credit to the target.</summary>
    public const string ExternalLinkRel = "noopener noreferrer nofollow";

    /// <summary>Elements that take input or submit it; question text has no use for any of them.</summary>
    private static readonly string[] FormTags =
        ["form", "input", "button", "select", "textarea", "option", "optgroup", "datalist", "label", "fieldset", "legend", "output", "keygen"];

    /// <summary>Attributes that submit, tie markup to the page's own fields or elements or name a global (DOM clobbering), or load from elsewhere.</summary>
    private static readonly string[] DroppedAttributes =
        ["id", "action", "method", "enctype", "form", "formaction", "for", "name", "ping", "srcset", "background", "poster", "lowsrc", "dynsrc"];

    /// <summary>Elements that would load something other than an image: only <c>img</c> may name a source.</summary>
    private static readonly string[] DroppedMediaTags = ["audio", "video", "source", "track", "picture", "object", "embed", "iframe", "frame", "image"];

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedClasses.Add("math");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedSchemes.Add("mailto");
        foreach (var tag in FormTags.Concat(DroppedMediaTags))
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        foreach (var attribute in DroppedAttributes)
        {
            sanitizer.AllowedAttributes.Remove(attribute);
        }

        sanitizer.PostProcessDom += (_, e) => KeepToTheApp(e.Document);
        return sanitizer;
    }

    /// <summary>Removes images from anywhere but the media store and makes every link that leaves the app a safe one.</summary>
    private static void KeepToTheApp(AngleSharp.Dom.IDocument document)
    {
        foreach (var image in document.QuerySelectorAll("img").ToList())
        {
            if (!MediaStore.IsStoredUrl(image.GetAttribute("src")))
            {
                image.Remove();
            }
        }

        foreach (var link in document.QuerySelectorAll("a, area"))
        {
            var target = link.GetAttribute("target");
            if (target is not null && !string.Equals(target.Trim(), "_blank", StringComparison.OrdinalIgnoreCase))
            {
                link.RemoveAttribute("target");
                target = null;
            }

            if (IsExternal(link.GetAttribute("href")))
            {
                link.SetAttribute("rel", ExternalLinkRel);
            }
            else if (target is not null)
            {
                link.SetAttribute("rel", "noopener noreferrer");
            }
            else
            {
                link.RemoveAttribute("rel");
            }
        }
    }

    /// <summary>
    /// Whether a link leaves the app: it names a scheme, or starts with two slashes (or backslashes, which
    /// browsers read as slashes) once the tabs and line breaks that browsers ignore in a URL are gone.
    /// </summary>
    private static bool IsExternal(string? href)
    {
        if (href is null)
        {
            return false;
        }

        var url = new string(href.Where(c => c > ' ').ToArray());
        return SchemePrefix().IsMatch(url) || (url.Length >= 2 && (url[0] is '/' or '\\') && (url[1] is '/' or '\\'));
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex SchemePrefix();

    /// <summary>Blocks of text: paragraphs, lists, tables, images.</summary>
    public MarkupString Render(string? markdown) => new(Cached(markdown, inline: false));

    /// <summary>A short text inside a line (a choice, a feedback): a single paragraph loses its &lt;p&gt;.</summary>
    public MarkupString RenderInline(string? markdown) => new(Cached(markdown, inline: true));

    /// <summary>
    /// Plain text that may hold math: an answer as a student typed it, an accepted answer, a teacher's comment.
    /// Only its math is read (as <see cref="QuestionText.Parts"/> finds it) and left for the typesetter;
    /// everything else shows as written, encoded, never read as Markdown or markup. Line breaks stay text
    /// (the page decides whether they show).
    /// </summary>
    public MarkupString RenderText(string? text) => new(PlainWithMath(text, int.MaxValue, inline: false));

    /// <summary>
    /// A one-line preview of a question (its title in a list, a row, a search result): plain text with math as
    /// <see cref="RenderText"/>, all math set inline, cut after about <paramref name="length"/> characters at a
    /// word's end. Math is never cut in half: it shows whole, or the line ends with "…" before it.
    /// </summary>
    public MarkupString RenderLine(string? text, int length = PreviewLength) => new(PlainWithMath(text, Math.Max(1, length), inline: true));

    /// <summary>
    /// An answer (given or right) as text: the choices and pairs of the question are Markdown as its author
    /// wrote them; what a student types (and the accepted answers it is matched with) is plain text with math.
    /// </summary>
    public MarkupString RenderAnswer(QuestionType type, string? text) =>
        type is QuestionType.Mcq or QuestionType.McqMulti or QuestionType.Matching ? RenderInline(text) : RenderText(text);

    /// <summary>The characters of text a one-line preview shows before it is cut.</summary>
    public const int PreviewLength = 120;

    private static string PlainWithMath(string? text, int length, bool inline)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var html = new StringBuilder(text.Length + 32);
        var left = length;
        foreach (var part in QuestionText.Parts(inline ? text.ReplaceLineEndings(" ") : text))
        {
            if (part.IsMath)
            {
                if (part.Text.Length > left && left < length)
                {
                    return Ended(html);
                }

                var display = part.IsDisplay && !inline;
                html.Append("<span class=\"math\">").Append(display ? "\\[" : "\\(").Append(Encode(part.Text))
                    .Append(display ? "\\]" : "\\)").Append("</span>");
                left -= part.Text.Length;
                continue;
            }

            if (part.Text.Length > left)
            {
                return Ended(html.Append(Encode(Cut(part.Text, Math.Max(0, left)))));
            }

            html.Append(Encode(part.Text));
            left -= part.Text.Length;
        }

        return html.ToString();
    }

    /// <summary>Text as markup: the five characters that could start or end markup are escaped, the rest (±, ä, π) stays as written.</summary>
    private static string Encode(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }

        var html = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => html.Append("&amp;"),
                '<' => html.Append("&lt;"),
                '>' => html.Append("&gt;"),
                '"' => html.Append("&quot;"),
                '\'' => html.Append("&#39;"),
                _ => html.Append(c),
            };
        }

        return html.ToString();
    }

    /// <summary>The start of a text up to <paramref name="length"/> characters, ended at a space when one is near.</summary>
    private static string Cut(string text, int length)
    {
        var cut = text[..length];
        var space = cut.LastIndexOf(' ');
        return space > length / 2 ? cut[..space] : cut;
    }

    /// <summary>A cut line: "…" after the last word, as the titles end that the bank cuts.</summary>
    private static string Ended(StringBuilder html)
    {
        while (html.Length > 0 && html[^1] == ' ')
        {
            html.Length--;
        }

        return html.Append(html.Length > 0 ? " …" : "…").ToString();
    }

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
