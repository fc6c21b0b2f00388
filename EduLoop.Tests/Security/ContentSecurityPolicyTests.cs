using EduLoop.Domain.Identity;
using EduLoop.Tests.E2E;
using EduLoop.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EduLoop.Tests.Security;

/// <summary>
/// Every page works under its Content-Security-Policy: Chromium refuses nothing on it. The pages are the
/// app's own routes (<see cref="AppPage.All"/>), each for every role its authorization lets in, so a new
/// page is checked without editing this test; and a few addresses that are not pages of their own.
/// </summary>
[Collection(PageWalkCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser)
{
    /// <summary>Addresses that are not in the route list: the sign-in form refusing a foreign return address, the status page, the API reference.</summary>
    private static readonly string[] AnonymousExtras = ["Account/Login?ReturnUrl=%2F%2Fevil.example", "no/such/page", "api/docs/"];

    public static TheoryData<string?> RolesAndAnonymous => new() { null, Roles.Student, Roles.Teacher, Roles.Admin };

    [Theory]
    [MemberData(nameof(RolesAndAnonymous))]
    public async Task Pages_EachRole_ReportNoPolicyViolation(string? role)
    {
        var school = await PageSchool.OfAsync(browser.App);
        var pages = AppPage.All.Where(p => p.Admits(role)).Select(p => (Path: school.PathOf(p), Static: p.IsStatic)).ToList();
        Assert.DoesNotContain(pages, p => p.Path is null);
        if (role is null)
        {
            pages.AddRange(AnonymousExtras.Select(path => ((string?)path, true)));
        }

        var page = await browser.NewPageAsync();
        if (role is not null)
        {
            await page.LoginAsync(school.Emails[role], PageSchool.Password);
            // A MudBlazor popover, positioned by script.
            await page.ClickAsync("[data-testid=language-menu] button");
            await page.WaitForSelectorAsync("[data-testid=language-de]");
        }

        foreach (var (path, isStatic) in pages)
        {
            await page.GotoAsync(path!, new() { WaitUntil = WaitUntilState.NetworkIdle });
            // Account pages, the status page and the API reference are static: no circuit to wait for.
            if (!isStatic)
            {
                await page.WaitForInteractiveAsync();
            }

            // Late refusals (fonts, math typeset after the first render) are reported asynchronously.
            await page.WaitForTimeoutAsync(300);
            page.AssertNoPolicyViolations();
        }

        Assert.Empty(PageExtensions.PolicyViolationsOf(page));
    }
}
