using EduLoop.Domain.Identity;
using EduLoop.Tests.E2E;
using EduLoop.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EduLoop.Tests.Security;

/// <summary>Every kind of page works under its Content-Security-Policy: Chromium refuses nothing on it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser)
{
    public static TheoryData<string?, string[]> PagesByRole => new()
    {
        { null, ["", "Account/Login", "Account/Register", "Account/Login?ReturnUrl=%2F%2Fevil.example", "no/such/page", "api/docs/"] },
        { Roles.Student, ["", "practice", "Account/Manage", "Account/Manage/ChangePassword", "Account/AccessDenied"] },
        { Roles.Teacher, ["", "bank", "bank/questions/new", "bank/import", "bank/export", "quizzes", "quizzes/new", "grading", "classes"] },
        { Roles.Admin, ["", "admin/users", "admin/classes", "bank"] },
    };

    private static readonly string[] StaticPrefixes = ["Account/", "api/", "no/"];

    [Theory]
    [MemberData(nameof(PagesByRole))]
    public async Task Pages_EachRole_ReportNoPolicyViolation(string? role, string[] paths)
    {
        var page = await browser.NewPageAsync();
        if (role is not null)
        {
            var (email, password) = role switch
            {
                Roles.Admin => (TestAccounts.AdminEmail, TestAccounts.AdminPassword),
                Roles.Teacher => (TestAccounts.TeacherEmail, TestAccounts.TeacherPassword),
                _ => (TestAccounts.StudentEmail, TestAccounts.StudentPassword),
            };
            await page.LoginAsync(email, password);
            // A MudBlazor popover, positioned by script.
            await page.ClickAsync("[data-testid=language-menu] button");
            await page.WaitForSelectorAsync("[data-testid=language-de]");
        }

        foreach (var path in paths)
        {
            await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle });
            // Account pages, the status page and the API reference are static: no circuit to wait for.
            if (!StaticPrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
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
