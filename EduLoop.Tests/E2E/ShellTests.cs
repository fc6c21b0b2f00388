using System.Text.RegularExpressions;

using EduLoop.Tests.Infrastructure;

using Microsoft.Playwright;

using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class ShellTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_LogsIn_SeesTheDashboardCounts()
    {
        var page = await browser.NewPageAsync();

        await page.LoginAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);

        await Expect(page.Locator("h1")).ToHaveTextAsync("Administration");
        await Expect(page.Locator("[data-testid=count-questions] .count-value")).ToHaveTextAsync("2,000");
        await Expect(page.Locator("[data-testid=count-users]")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Questions per type")).ToBeVisibleAsync();
        await page.ScreenshotAsync("home-admin-light");
    }

    [Fact]
    public async Task Teacher_LogsIn_SeesTheBankWithoutAdministration()
    {
        var page = await browser.NewPageAsync();

        await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);

        await Expect(page.Locator("h1")).ToHaveTextAsync("Welcome, Demo Teacher");
        await Expect(page.Locator("[data-testid=count-questions]")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync("home-teacher-light");
    }

    [Fact]
    public async Task Student_LogsIn_SeesTheirClass_AndCannotOpenAdminPages()
    {
        var page = await browser.NewPageAsync();

        await page.LoginAsync(TestAccounts.StudentEmail, TestAccounts.StudentPassword);

        await Expect(page.Locator("[data-testid=class-list]")).ToContainTextAsync("Year 9 — Class A");
        await page.ScreenshotAsync("home-student-light");

        await page.GotoAsync("admin/users");
        await Expect(page.Locator("[data-testid=users-table]")).ToHaveCountAsync(0);
        await Expect(page.Locator("body")).ToContainTextAsync("You do not have access to this page.");
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsAnError()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("Account/Login");

        await page.FillAsync("#Input\\.Email", TestAccounts.TeacherEmail);
        await page.FillAsync("#Input\\.Password", "definitely wrong");
        await page.ClickAsync("[data-testid=login-submit]");

        await Expect(page.Locator("[data-testid=status-message]")).ToContainTextAsync("Wrong email or password.");
        await Expect(page).ToHaveURLAsync(new Regex("Account/Login"));
        await page.ScreenshotAsync("login-error-light");
    }

    [Fact]
    public async Task LanguageSwitch_German_TranslatesThePageAndSticks()
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);

        await page.ClickAsync("[data-testid=language-menu] button");
        await page.ClickAsync("[data-testid=language-de]");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Willkommen, Demo Teacher");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "de");
        await page.ReloadAsync();
        await Expect(page.GetByText("Fragen nach Typ")).ToBeVisibleAsync();
        await page.ScreenshotAsync("home-teacher-german");
    }

    [Fact]
    public async Task ThemeSwitch_Dark_IsRememberedForTheUser()
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);
        var light = await BackgroundAsync(page);

        await page.ClickAsync("[data-testid=theme-toggle]");
        await Expect(page.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("aria-label", "Switch to light theme");
        var dark = await BackgroundAsync(page);
        Assert.NotEqual(light, dark);
        await page.ScreenshotAsync("home-admin-dark");

        // A new browser (no theme cookie) signed in as the same user starts dark.
        var elsewhere = await browser.NewPageAsync();
        await elsewhere.LoginAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);
        Assert.Equal(dark, await BackgroundAsync(elsewhere));

        // Back to light for the other tests that share the admin account.
        await elsewhere.ClickAsync("[data-testid=theme-toggle]");
        await Expect(elsewhere.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("aria-label", "Switch to dark theme");
    }

    [Fact]
    public async Task Phone_StudentHome_FitsTheScreen()
    {
        var page = await browser.NewPageAsync(phone: true);
        await page.LoginAsync(TestAccounts.StudentEmail, TestAccounts.StudentPassword);

        await Expect(page.Locator("[data-testid=class-list]")).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the page scrolls sideways on a phone");
        await page.ScreenshotAsync("home-student-phone");
    }

    [Fact]
    public async Task ApiReference_RendersTheRoutes()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("api/docs/");

        await Expect(page.GetByText("EduLoop API").First).ToBeVisibleAsync();
        await Expect(page.GetByText("/api/groups/").First).ToBeVisibleAsync();
        page.AssertNoPolicyViolations();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "api-docs.png") });
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
}
