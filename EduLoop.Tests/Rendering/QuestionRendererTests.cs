using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using EduLoop.App.Rendering;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Tests.Rendering;

/// <summary>
/// The rules that keep text one user writes from phishing or tracking another: no form controls, images
/// only from the media store, and links that leave the app without the page that opened them.
/// </summary>
public sealed class QuestionRendererTests : IDisposable
{
    private const string MediaImage = "/media/0123456789abcdef0123456789abcdef.png";

    private readonly QuestionRenderer _renderer = new();

    private IDocument Rendered(string text, bool inline = false) =>
        new HtmlParser().ParseDocument((inline ? _renderer.RenderInline(text) : _renderer.Render(text)).Value);

    public static TheoryData<string> FormPayloads =>
    [
        "<form action=\"http://evil.example/\"><input type=\"password\" name=\"pw\"><button>Sign in</button></form>",
        "Your password: <input type=password autocomplete=current-password>",
        "<input type=\"image\" src=\"http://evil.example/a.png\" formaction=\"http://evil.example/\">",
        "<button formaction=\"http://evil.example/\" form=\"login\">Go</button>",
        "<select name=\"q1\"><option selected>Paris</option><optgroup label=\"x\"><option>Lyon</option></optgroup></select>",
        "<textarea name=\"answer\">text</textarea>",
        "<label for=\"q1-0\">Click here for a hint</label>",
        "<fieldset><legend>Account</legend><output>1</output></fieldset>",
        "<input list=\"l\"><datalist id=\"l\"><option value=\"a\"></datalist>",
        "<p><form><input type=\"password\"></form></p> *still* here",
    ];

    [Theory]
    [MemberData(nameof(FormPayloads))]
    public void Render_FormControls_AreRemoved(string payload)
    {
        foreach (var document in new[] { Rendered(payload), Rendered(payload, inline: true) })
        {
            Assert.Empty(document.QuerySelectorAll("form, input, button, select, textarea, option, optgroup, label, fieldset, legend, output, datalist"));
            Assert.Empty(document.QuerySelectorAll("[action], [formaction], [form], [for], [name], [method]"));
        }
    }

    [Fact]
    public void Render_TextAroundARemovedForm_Stays()
    {
        var document = Rendered("Before <form action=\"http://evil.example/\"><input type=\"password\"></form> **after**");

        Assert.Contains("Before", document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("after", document.QuerySelector("strong")!.TextContent);
    }

    [Theory]
    [InlineData("![graph](" + MediaImage + ")")]
    [InlineData("<img src=\"" + MediaImage + "\" alt=\"graph\">")]
    public void Render_ImageFromTheMediaStore_Stays(string text)
    {
        var image = Assert.Single(Rendered(text).QuerySelectorAll("img"));

        Assert.Equal(MediaImage, image.GetAttribute("src"));
        Assert.Equal("graph", image.GetAttribute("alt"));
    }

    [Theory]
    [InlineData("![track](http://127.0.0.2:1/track.png)")]
    [InlineData("<img src=\"http://127.0.0.2:1/track.png\">")]
    [InlineData("<img src=\"https://evil.example/a.png\">")]
    [InlineData("<img src=\"//evil.example/a.png\">")]
    [InlineData("<img src=\"/\\evil.example/a.png\">")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<img src=\"/media/../Data/eduloop.db\">")]
    [InlineData("<img src=\"/media//evil.example/a.png\">")]
    [InlineData("<img src=\"" + MediaImage + "?from=elsewhere\">")]
    [InlineData("<img src=\"https://evil.example" + MediaImage + "\">")]
    [InlineData("<img src=\"data:image/png;base64,iVBORw0KGgo=\">")]
    [InlineData("<img>")]
    public void Render_ImageFromAnywhereElse_IsRemoved(string text)
    {
        var document = Rendered("Look: " + text);

        Assert.Empty(document.QuerySelectorAll("img"));
        Assert.Contains("Look:", document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<img src=\"" + MediaImage + "\" srcset=\"http://evil.example/a.png 2x\">")]
    [InlineData("<video src=\"http://evil.example/v.mp4\" poster=\"http://evil.example/p.png\"></video>")]
    [InlineData("<audio src=\"http://evil.example/a.mp3\" autoplay></audio>")]
    [InlineData("<picture><source srcset=\"http://evil.example/a.png\"><img src=\"" + MediaImage + "\"></picture>")]
    [InlineData("<object data=\"http://evil.example/a.swf\"></object><embed src=\"http://evil.example/a.swf\">")]
    [InlineData("<table background=\"http://evil.example/bg.png\"><tr><td background=\"http://evil.example/bg.png\">x</td></tr></table>")]
    [InlineData("<a href=\"/bank\" ping=\"http://evil.example/ping\">bank</a>")]
    public void Render_OtherWaysToLoadFromElsewhere_AreRemoved(string text)
    {
        var document = Rendered(text);

        var loaders = document.QuerySelectorAll("*").SelectMany(e => e.Attributes)
            .Where(a => a.Name is "src" or "srcset" or "poster" or "background" or "data" or "ping" && !MediaImage.Equals(a.Value, StringComparison.Ordinal))
            .Select(a => $"{a.Name}={a.Value}").ToList();
        Assert.Empty(loaders);
        Assert.Empty(document.QuerySelectorAll("video, audio, source, picture, object, embed"));
    }

    [Theory]
    [InlineData("[site](http://evil.example/)", "http://evil.example/")]
    [InlineData("Go to https://evil.example/login now", "https://evil.example/login")]
    [InlineData("<a href=\"http://evil.example/\" target=_blank>Sign in again</a>", "http://evil.example/")]
    [InlineData("<a href=\"https://evil.example/\" rel=\"opener\">x</a>", "https://evil.example/")]
    [InlineData("<a href=\"mailto:teacher@evil.example\">mail</a>", "mailto:teacher@evil.example")]
    [InlineData("<a href=\"//evil.example/\">x</a>", "//evil.example/")]
    [InlineData("<a href=\"/\\evil.example/\">x</a>", "/\\evil.example/")]
    [InlineData("<a href=\"/&#9;/evil.example/\">x</a>", "/\t/evil.example/")]
    [InlineData("<a href=\"HTTPS://EVIL.EXAMPLE/\">x</a>", "HTTPS://EVIL.EXAMPLE/")]
    public void Render_LinkThatLeavesTheApp_GetsNoopenerNoreferrerNofollow(string text, string href)
    {
        var link = Assert.Single(Rendered(text).QuerySelectorAll("a"));

        Assert.Equal(href, link.GetAttribute("href"));
        Assert.Equal("noopener noreferrer nofollow", link.GetAttribute("rel"));
    }

    [Fact]
    public void Render_BlankTarget_StaysOnlyWithTheRel()
    {
        var link = Assert.Single(Rendered("<a href=\"http://evil.example/\" target=\"_blank\">x</a>").QuerySelectorAll("a"));

        Assert.Equal("_blank", link.GetAttribute("target"));
        Assert.Equal(QuestionRenderer.ExternalLinkRel, link.GetAttribute("rel"));
    }

    [Theory]
    [InlineData("_top")]
    [InlineData("_parent")]
    [InlineData("_self")]
    [InlineData("login-frame")]
    public void Render_AnyOtherTarget_IsDropped(string target)
    {
        var link = Assert.Single(Rendered($"<a href=\"http://evil.example/\" target=\"{target}\">x</a>").QuerySelectorAll("a"));

        Assert.Null(link.GetAttribute("target"));
        Assert.Equal(QuestionRenderer.ExternalLinkRel, link.GetAttribute("rel"));
    }

    [Fact]
    public void Render_LinkInsideTheApp_KeepsItsAddressAndNoRel()
    {
        var link = Assert.Single(Rendered("See [the bank](/bank?search=x).").QuerySelectorAll("a"));

        Assert.Equal("/bank?search=x", link.GetAttribute("href"));
        Assert.Null(link.GetAttribute("rel"));
    }

    [Fact]
    public void Render_LinkInsideTheAppInANewTab_GetsNoopener()
    {
        var link = Assert.Single(Rendered("<a href=\"/bank\" target=\"_blank\" rel=\"opener\">bank</a>").QuerySelectorAll("a"));

        Assert.Equal("_blank", link.GetAttribute("target"));
        Assert.Equal("noopener noreferrer", link.GetAttribute("rel"));
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"jav&#x09;ascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>")]
    public void Render_ScriptLinks_LoseTheirAddress(string text)
    {
        var document = Rendered(text);

        Assert.DoesNotContain(document.QuerySelectorAll("a[href]"), a => a.GetAttribute("href")!.Contains("script", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("<div class=\"fixed mud-overlay\">Your session has expired.</div>")]
    [InlineData("<p class=\"mud-dialog-container position-fixed\">Your session has expired.</p>")]
    public void Render_TheAppsOwnClasses_AreRemoved(string text)
    {
        var document = Rendered(text);

        Assert.Empty(document.QuerySelectorAll("[class]"));
        Assert.Contains("Your session has expired.", document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<p id=\"q1-title\">x</p>")]
    [InlineData("<a id=\"eduloop\" name=\"eduloop\" href=\"/bank\">x</a>")]
    [InlineData("<img id=\"eduloop\" name=\"eduloop\" src=\"" + MediaImage + "\">")]
    public void Render_IdsAndNames_AreRemoved(string text)
    {
        Assert.Empty(Rendered(text).QuerySelectorAll("[id], [name]"));
    }

    [Fact]
    public void Render_Math_IsLeftForTheTypesetter()
    {
        var document = Rendered("Solve $x^2 = 4$ and $$\\frac{1}{2}$$");

        Assert.NotEmpty(document.QuerySelectorAll("span.math"));
        Assert.Contains("x^2 = 4", document.QuerySelector("span.math")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$x = 0$", new[] { @"\(x = 0\)" }, "")]
    [InlineData(@"Both $\frac{1}{2}$ and $$y^2$$.", new[] { @"\(\frac{1}{2}\)", @"\[y^2\]" }, "Both  and .")]
    [InlineData("It costs $5 and $6.", new string[0], "It costs $5 and $6.")]
    [InlineData("Half a formula: $x + 1", new string[0], "Half a formula: $x + 1")]
    [InlineData(@"A dollar \$ and $a$", new[] { @"\(a\)" }, @"A dollar \$ and ")]
    [InlineData("2*3*4 # not a heading", new string[0], "2*3*4 # not a heading")]
    public void RenderText_TypesetsOnlyItsMath(string text, string[] math, string plain)
    {
        var document = new HtmlParser().ParseDocument(_renderer.RenderText(text).Value);

        Assert.Equal(math, document.QuerySelectorAll("span.math").Select(m => m.TextContent));
        Assert.Equal(plain, string.Concat(document.Body!.ChildNodes.Where(n => n is IText).Select(n => n.TextContent)));
        Assert.Empty(document.Body.QuerySelectorAll(":not(span.math)"));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>$x$")]
    [InlineData("$<img src=x onerror=alert(1)>$")]
    [InlineData("$x$<b onmouseover=alert(1)>bold</b>")]
    [InlineData("$</span><script>alert(1)</script>$")]
    public void RenderText_MarkupInTheText_StaysText(string text)
    {
        foreach (var html in new[] { _renderer.RenderText(text).Value, _renderer.RenderLine(text).Value })
        {
            var document = new HtmlParser().ParseDocument(html);

            Assert.Empty(document.Body!.QuerySelectorAll(":not(span.math)"));
            Assert.Empty(document.QuerySelectorAll("script, img, b"));
            Assert.All(document.QuerySelectorAll("span.math"), m => Assert.Equal(["class"], m.Attributes.Select(a => a.Name)));
        }
    }

    [Theory]
    [InlineData(@"Simplify $\frac{a+b}{c+d}$ and then write the result in lowest terms", 30, @"Simplify \(\frac{a+b}{c+d}\) and …")]
    [InlineData(@"A long text before the formula at the end $\sqrt{2}$", 20, "A long text before …")]
    [InlineData(@"$\int_0^1 x^2 \, dx + \int_1^2 x^3 \, dx$ is the area", 10, @"\(\int_0^1 x^2 \, dx + \int_1^2 x^3 \, dx\) …")]
    [InlineData("Short $x$", 30, @"Short \(x\)")]
    [InlineData("Line one\n$$x^2$$\nline two", 60, @"Line one \(x^2\) line two")]
    public void RenderLine_CutsTheText_ButNeverTheMath(string text, int length, string expected)
    {
        var document = new HtmlParser().ParseDocument(_renderer.RenderLine(text, length).Value);

        Assert.Equal(expected, document.Body!.TextContent);
        Assert.All(document.QuerySelectorAll("span.math"), m => Assert.StartsWith(@"\(", m.TextContent, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(QuestionType.Mcq, "**$2$**", "strong")]
    [InlineData(QuestionType.Matching, "cat → *animal*", "em")]
    public void RenderAnswer_ChoicesAreMarkdown(QuestionType type, string text, string element)
    {
        Assert.NotEmpty(new HtmlParser().ParseDocument(_renderer.RenderAnswer(type, text).Value).QuerySelectorAll(element));
    }

    [Theory]
    [InlineData(QuestionType.FillBlank)]
    [InlineData(QuestionType.Math)]
    [InlineData(QuestionType.Writing)]
    public void RenderAnswer_TypedAnswersArePlainTextWithMath(QuestionType type)
    {
        var document = new HtmlParser().ParseDocument(_renderer.RenderAnswer(type, "**$x = 0$**").Value);

        Assert.Empty(document.QuerySelectorAll("strong"));
        Assert.Equal("****", string.Concat(document.Body!.ChildNodes.Where(n => n is IText).Select(n => n.TextContent)));
        Assert.Equal(@"\(x = 0\)", document.QuerySelector("span.math")!.TextContent);
    }

    public void Dispose() => _renderer.Dispose();
}
