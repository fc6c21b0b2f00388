using System.Diagnostics;
using System.Text.Json;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace EduLoop.Tests.E2E;

/// <summary>
/// Every routable page (read from the app's own routes), as every role its authorization lets in, in the
/// light theme at desktop width and the dark theme at phone width: axe-core finds no serious or critical violation of
/// the WCAG 2.1 A and AA rules, no page scrolls sideways, and each is kept as a screenshot at phone width
/// (artifacts/screenshots/pages/). axe comes from npm through EduLoop.Tests/axe/package-lock.json and is
/// loaded from disk into each page before the page's own scripts, so the app's Content-Security-Policy
/// stays as it is.
/// </summary>
[Collection(PageWalkCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string Anonymous = "Anonymous";

    private static readonly string[] RuleTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
    private static readonly string[] FailingImpacts = ["serious", "critical"];

    private static readonly Lazy<string> AxeScript = new(() =>
    {
        var path = RepositoryPaths.Combine("EduLoop.Tests", "axe", "node_modules", "axe-core", "axe.min.js");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new FileNotFoundException("axe-core is not installed: run 'npm ci' in EduLoop.Tests/axe (bash .ci/run does).", path);
    });

    /// <summary>
    /// One row per role, theme and width, so that a failure says where it happened. Each role is walked
    /// in both themes and at both widths, light at desktop width and dark at phone width: a contrast
    /// comes from the theme and a layout from the width, and the walks are the suite's longest, so the
    /// other two pairings are left out.
    /// </summary>
    public static TheoryData<string, string, string> Rows()
    {
        var rows = new TheoryData<string, string, string>();
        foreach (var role in new[] { Anonymous, Roles.Student, Roles.Teacher, Roles.Admin })
        {
            rows.Add(role, "light", "desktop");
            rows.Add(role, "dark", "phone");
        }

        return rows;
    }

    [Fact]
    public void Routes_EveryParameter_HasAValue()
    {
        Assert.Contains(AppPage.All, p => p.Template == "/attempts/{AttemptId:int}");
        var unfilled = PageSchool.Unfilled();
        Assert.True(unfilled.Count == 0,
            $"Pages whose route parameters the page tests cannot fill (add a real value to {nameof(PageSchool)}.{nameof(PageSchool.RouteValues)}):"
            + $"{Environment.NewLine}{string.Join(Environment.NewLine, unfilled)}");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task EveryPage_AxeCore_FindsNoSeriousViolation(string role, string theme, string width)
    {
        var clock = Stopwatch.StartNew();
        var school = await PageSchool.OfAsync(browser.App);
        var signedIn = role == Anonymous ? null : role;
        var pages = AppPage.All.Where(p => p.Admits(signedIn)).ToList();
        var unfilled = pages.Where(p => school.PathOf(p) is null).Select(p => p.Template).ToList();
        Assert.True(unfilled.Count == 0, $"Route parameters without a value: {string.Join(", ", unfilled)}");

        var page = await browser.NewPageAsync(phone: width == "phone");
        try
        {
            await CheckPagesAsync(page, school, role, theme, width, pages, clock);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private async Task CheckPagesAsync(IPage page, PageSchool school, string role, string theme, string width, List<AppPage> pages, Stopwatch clock)
    {
        var signedIn = role == Anonymous ? null : role;
        await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = theme, Url = browser.App.RootUrl }]);
        await page.Context.AddInitScriptAsync(AxeScript.Value);
        if (signedIn is not null)
        {
            await page.LoginAsync(school.Emails[signedIn], PageSchool.Password);
        }

        var violations = new List<string>();
        var skipped = new List<string>();
        AppPage? last = null;
        foreach (var appPage in pages)
        {
            var path = school.PathOf(appPage)!;
            await OpenAsync(page, appPage, last, path);
            last = appPage;
            if (!SamePath(page.Url, path))
            {
                skipped.Add($"/{path} (sent to {new Uri(page.Url).PathAndQuery})");
                continue;
            }

            // The router's notice for a signed-in user whom the page does not let in (the account pages' own notice is a page).
            if (!appPage.IsStatic && await page.Locator("[data-testid=access-denied]").CountAsync() > 0)
            {
                skipped.Add($"/{path} (denied)");
                continue;
            }

            Assert.True(await IsDarkAsync(page) == (theme == "dark"), $"/{path} is not in the {theme} theme");
            if (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"))
            {
                violations.Add($"/{path} scrolls sideways as {role}, {theme}, {width}");
            }

            // Every page as it was checked, to look at: at phone width always, at desktop width on request
            // (EDULOOP_PAGE_SCREENSHOTS=1; it adds a third to the walk's time).
            if (width == "phone" || Environment.GetEnvironmentVariable("EDULOOP_PAGE_SCREENSHOTS") == "1")
            {
                await page.ScreenshotAsync($"pages/{role}-{theme}-{width}-{(path.Length == 0 ? "home" : path.Replace('/', '-'))}".ToLowerInvariant());
            }

            var found = await page.EvaluateAsync<JsonElement>(RunAxe, RuleTags);
            foreach (var violation in found.EnumerateArray().Where(v => FailingImpacts.Contains(v.GetProperty("impact").GetString())))
            {
                foreach (var node in violation.GetProperty("nodes").EnumerateArray())
                {
                    var target = string.Join(" ", node.GetProperty("target").EnumerateArray().Select(t => t.ToString()));
                    // The first reason axe gives ("Element has insufficient color contrast of 2.44 (foreground color: ...").
                    var reason = (node.GetProperty("failureSummary").GetString() ?? "").Split('\n', StringSplitOptions.TrimEntries).ElementAtOrDefault(1);
                    var html = node.GetProperty("html").GetString() ?? "";
                    violations.Add($"{violation.GetProperty("id").GetString()} ({violation.GetProperty("impact").GetString()}) at {target} "
                        + $"on /{path} as {role}, {theme}, {width}: {reason} {(html.Length > 160 ? html[..160] + "…" : html)}");
                }
            }
        }

        output.WriteLine($"{role}, {theme}, {width}: {pages.Count - skipped.Count} pages checked, "
            + $"{AppPage.All.Count - pages.Count} not open to this role, {skipped.Count} sent away or denied, in {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var line in skipped)
        {
            output.WriteLine("  skipped " + line);
        }

        Assert.True(pages.Count - skipped.Count > 0, "no page was checked");
        Assert.True(violations.Count == 0, $"{violations.Count} accessibility or layout violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    /// <summary>
    /// Opens the page and waits until it has settled. An interactive page is reached the way a link
    /// reaches it, inside the circuit that is already running (much quicker than starting a new one);
    /// the account pages, the first page and a page of the same component as the last one load in full.
    /// </summary>
    private static async Task OpenAsync(IPage page, AppPage appPage, AppPage? last, string path)
    {
        if (appPage.IsStatic || appPage.Component == last?.Component || !await page.EvaluateAsync<bool>(IsInteractive))
        {
            await page.GotoAsync(path);
            if (!appPage.IsStatic)
            {
                await page.WaitForInteractiveAsync();
            }
        }
        else if (!SamePath(page.Url, path))
        {
            // The router replaces the last page's elements with the new page's: marked, they show when it has.
            await page.EvaluateAsync("""
                path => {
                    for (const element of document.querySelectorAll("#main > *")) element.dataset.leaving = "true";
                    return Blazor.navigateTo(path);
                }
                """, path);
            await page.WaitForFunctionAsync("() => !document.querySelector('[data-leaving]')");
        }

        await page.EvaluateAsync(WaitForSettled);
    }

    private const string IsInteractive = "() => document.body.dataset.interactive === 'true' && !!window.Blazor";

    /// <summary>Resolves once nothing is loading and the page has not changed for 250 ms (data shown, math typeset), or after 5 s.</summary>
    private const string WaitForSettled = """
        () => new Promise(resolve => {
            const loading = () => document.querySelector(".mud-progress-circular, .mud-progress-linear, .mud-skeleton, .quiz-loading");
            let quiet;
            const check = () => { clearTimeout(quiet); quiet = setTimeout(() => loading() ? check() : done(), 250); };
            const done = () => { observer.disconnect(); clearTimeout(quiet); clearTimeout(limit); resolve(); };
            const observer = new MutationObserver(check);
            observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
            check();
            const limit = setTimeout(done, 5000);
        })
        """;

    private static bool SamePath(string url, string path) =>
        string.Equals(new Uri(url).AbsolutePath.Trim('/'), path.Trim('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the page's background is dark, whatever the theme's exact colours.</summary>
    private static Task<bool> IsDarkAsync(IPage page) => page.EvaluateAsync<bool>("""
        () => {
            const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
            return r + g + b < 3 * 128;
        }
        """);

    private const string RunAxe = """
        async tags => {
            const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"], preload: false });
            return result.violations;
        }
        """;
}
