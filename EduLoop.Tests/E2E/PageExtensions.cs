using Microsoft.Playwright;

namespace EduLoop.Tests.E2E;

public static class PageExtensions
{
    /// <summary>Signs in through the real form and waits for the interactive home page.</summary>
    public static async Task LoginAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Password", password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForInteractiveAsync();
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> _console = [];

    /// <summary>What the page wrote to its console, for failure messages.</summary>
    public static List<string> ConsoleOf(IPage page) => _console.GetOrCreateValue(page);

    /// <summary>Runs in every page before its own scripts: reports each Content-Security-Policy refusal on the console.</summary>
    public const string ReportPolicyViolations = """
        document.addEventListener("securitypolicyviolation", function (e) {
            console.error("securitypolicyviolation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
        });
        """;

    /// <summary>
    /// What the page's Content-Security-Policy refused so far: Chromium's own "Refused to ..." messages
    /// and the reported events. One refusal is expected and left out: the API reference's bundle
    /// (Scalar, through zod) probes whether eval works with <c>Function("")</c> inside a try and builds
    /// its validators without eval when it does not. Its page keeps eval refused rather than allow it
    /// for a probe.
    /// </summary>
    public static IReadOnlyList<string> PolicyViolationsOf(IPage page) =>
        ConsoleOf(page)
            .Where(m => m.Contains("Refused to", StringComparison.Ordinal) || m.Contains("securitypolicyviolation", StringComparison.Ordinal))
            .Where(m => !IsApiReferenceEvalProbe(m))
            .ToList();

    private static bool IsApiReferenceEvalProbe(string message) =>
        message.Contains("securitypolicyviolation: script-src blocked eval at ", StringComparison.Ordinal)
        && message.Contains("/api/docs/scalar.js:", StringComparison.Ordinal);

    /// <summary>Fails when the Content-Security-Policy refused anything on the page.</summary>
    public static void AssertNoPolicyViolations(this IPage page)
    {
        var violations = PolicyViolationsOf(page);
        Assert.True(violations.Count == 0, $"{page.Url} broke its Content-Security-Policy:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    /// <summary>Waits until the page's circuit is connected and its buttons respond; by then nothing may have broken the page's policy.</summary>
    public static async Task WaitForInteractiveAsync(this IPage page)
    {
        try
        {
            await page.WaitForSelectorAsync("body[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"{page.Url} did not become interactive. Console:{Environment.NewLine}{string.Join(Environment.NewLine, ConsoleOf(page))}", e);
        }

        page.AssertNoPolicyViolations();
    }

    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"),
            FullPage = true,
        });
}
