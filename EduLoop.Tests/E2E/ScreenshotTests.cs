using EduLoop.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

/// <summary>Every page in the dark theme and at phone width: each renders its heading and fits the screen.</summary>
[Collection(PageWalkCollection.Name)]
public sealed class ScreenshotTests(BrowserFixture browser)
{
    public static TheoryData<string, string, string, string> Pages => new()
    {
        { "teacher", TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, "" },
        { "student", TestAccounts.StudentEmail, TestAccounts.StudentPassword, "" },
        { "admin-classes", TestAccounts.AdminEmail, TestAccounts.AdminPassword, "admin/classes" },
        { "admin-users", TestAccounts.AdminEmail, TestAccounts.AdminPassword, "admin/users" },
        { "admin-backups", TestAccounts.AdminEmail, TestAccounts.AdminPassword, "admin/backups" },
        { "admin-settings", TestAccounts.AdminEmail, TestAccounts.AdminPassword, "admin/settings" },
        { "account", TestAccounts.StudentEmail, TestAccounts.StudentPassword, "Account/Manage" },
        { "password", TestAccounts.StudentEmail, TestAccounts.StudentPassword, "Account/Manage/ChangePassword" },
        { "bank", TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, "bank" },
        { "bank-import", TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, "bank/import" },
        { "bank-export", TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, "bank/export" },
        { "bank-editor", TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, "bank/questions/1" },
        { "bank-new", TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, "bank/questions/new" },
        { "quizzes", TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, "quizzes" },
        { "quiz-new", TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, "quizzes/new" },
        { "grading", TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, "grading" },
        { "classes", TestAccounts.TeacherEmail, TestAccounts.TeacherPassword, "classes" },
        { "practice", TestAccounts.StudentEmail, TestAccounts.StudentPassword, "practice" },
    };

    /// <summary>What shows that a page has loaded its data, for pages that load after they appear.</summary>
    private static readonly Dictionary<string, string> ReadyWhen = new()
    {
        ["bank"] = "[data-testid=bank-row]",
        ["bank-editor"] = "[data-testid=question-view] .katex",
        ["practice"] = "[data-testid=practice-group]",
        ["classes"] = "[data-testid=members], [data-testid=no-members], [data-testid=no-classes]",
        ["admin-backups"] = "[data-testid=backup-schedule]",
        ["admin-settings"] = "[data-testid=settings-form]",
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_DarkAndPhone_RendersAndFits(string name, string email, string password, string path)
    {
        foreach (var phone in new[] { false, true })
        {
            var page = await browser.NewPageAsync(phone);
            await page.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = "dark", Url = browser.App.RootUrl }]);
            await page.LoginAsync(email, password);
            if (path.Length > 0)
            {
                await page.GotoAsync(path);
            }

            await Expect(page.Locator("h1").First).ToBeVisibleAsync();
            if (!path.StartsWith("Account", StringComparison.Ordinal))
            {
                await page.WaitForInteractiveAsync();
            }

            if (ReadyWhen.GetValueOrDefault(name) is { } ready)
            {
                await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            }

            Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), $"{name} scrolls sideways");
            await page.ScreenshotAsync($"{name}-dark{(phone ? "-phone" : "")}");
        }
    }
}
