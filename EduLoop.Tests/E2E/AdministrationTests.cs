using System.Text.RegularExpressions;
using EduLoop.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class AdministrationTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_CreatesATeacher_WhoCanSignInWithTheShownPassword()
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);
        await page.GotoAsync("admin/users");
        await page.WaitForInteractiveAsync();
        await page.ScreenshotAsync("admin-users-light");

        var email = $"teacher.{Guid.NewGuid().ToString("N")[..8]}@school.test";
        await page.ClickAsync("[data-testid=create-user]");
        await page.FillAsync("input[data-testid=new-email], [data-testid=new-email] input", email);
        await page.FillAsync("input[data-testid=new-name], [data-testid=new-name] input", "New Teacher");
        await page.ScreenshotAsync("admin-new-account-dialog");
        await page.ClickAsync("[data-testid=create-submit]");
        var password = await page.Locator("input[data-testid=shown-password], [data-testid=shown-password] input").InputValueAsync();
        Assert.Equal(23, password.Length);
        await page.ClickAsync("[data-testid=password-done]");
        await Expect(page.Locator("[data-testid=users-table]")).ToContainTextAsync(email);

        var teacher = await browser.NewPageAsync();
        await teacher.LoginAsync(email, password);
        await Expect(teacher.Locator("h1")).ToHaveTextAsync("Welcome, New Teacher");
    }

    [Fact]
    public async Task Admin_CreatesAClass_AndAStudentJoinsItWithTheKey()
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);
        await page.GotoAsync("admin/classes");
        await page.WaitForInteractiveAsync();

        var name = $"Class {Guid.NewGuid():N}"[..12];
        await page.ClickAsync("[data-testid=create-class]");
        await page.FillAsync("input[data-testid=class-name], [data-testid=class-name] input", name);
        await page.ClickAsync("[data-testid=class-submit]");
        var key = (await page.Locator("[data-testid=access-key]").First.TextContentAsync())!.Trim();
        Assert.Matches(new Regex("^[1-9][0-9]{7}$"), key);
        await page.ScreenshotAsync("admin-class-keys-dialog");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("[data-testid=classes-table]")).ToContainTextAsync(name);
        await page.ScreenshotAsync("admin-classes-light");

        var student = await browser.NewPageAsync(phone: true);
        await student.LoginAsync(TestAccounts.StudentEmail, TestAccounts.StudentPassword);
        await student.FillAsync("input[data-testid=join-key], [data-testid=join-key] input", key);
        await student.ClickAsync("[data-testid=join-submit]");
        await Expect(student.Locator("[data-testid=class-list]")).ToContainTextAsync(name);
    }

    [Fact]
    public async Task Pages_LookRightInDarkThemeAndOnAPhone()
    {
        // The theme cookie is what a visitor's earlier choice leaves behind.
        var dark = await browser.NewPageAsync();
        await dark.Context.AddCookiesAsync([new Cookie { Name = "eduloop-theme", Value = "dark", Url = browser.App.RootUrl }]);
        await dark.GotoAsync("Account/Login");
        Assert.Equal("rgb(18, 22, 22)", await dark.EvaluateAsync<string>("getComputedStyle(document.querySelector('.account-shell')).backgroundColor"));
        await dark.ScreenshotAsync("login-dark");

        var phone = await browser.NewPageAsync(phone: true);
        await phone.GotoAsync("Account/Register");
        await phone.ScreenshotAsync("register-phone");
        Assert.False(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));

        var admin = await browser.NewPageAsync(phone: true);
        await admin.LoginAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);
        await admin.ScreenshotAsync("home-admin-phone");
        await admin.GotoAsync("admin/users");
        await admin.WaitForInteractiveAsync();
        await Expect(admin.Locator("[data-testid=users-table]")).ToContainTextAsync(TestAccounts.AdminEmail);
        await admin.ScreenshotAsync("admin-users-phone");
        Assert.False(await admin.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"));
    }
}
