using System.Text.RegularExpressions;
using EduLoop.Domain.Media;
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
