using EduLoop.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EduLoop.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class BackupsAndSettingsTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_BacksUpNow_AndIsAskedBeforeARestore()
    {
        foreach (var phone in new[] { false, true })
        {
            var page = await browser.NewPageAsync(phone);
            await page.LoginAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);
            await page.GotoAsync("admin/backups");
            await page.WaitForInteractiveAsync();
            var rows = await page.Locator("[data-testid=restore-backup]").CountAsync();

            await page.ClickAsync("[data-testid=back-up-now]");
            await Expect(page.Locator("[data-testid=restore-backup]")).ToHaveCountAsync(rows + 1);
            Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the backups page scrolls sideways");
            await page.ScreenshotAsync($"admin-backups-light{(phone ? "-phone" : "")}");

            await page.Locator("[data-testid=restore-backup]").First.ClickAsync();
            await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("takes effect when EduLoop next restarts");
            // The dialog grows in; the picture is taken once it is at full size.
            await page.WaitForTimeoutAsync(500);
            await page.ScreenshotAsync($"admin-backups-restore-dialog{(phone ? "-phone" : "")}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(page.Locator("[data-testid=pending-restore]")).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task Admin_OpensTheSettings_InLightThemeAndAtPhoneWidth()
    {
        foreach (var phone in new[] { false, true })
        {
            var page = await browser.NewPageAsync(phone);
            await page.LoginAsync(TestAccounts.AdminEmail, TestAccounts.AdminPassword);
            await page.GotoAsync("admin/settings");
            await page.WaitForInteractiveAsync();
            await Expect(page.Locator("[data-testid=settings-form]")).ToBeVisibleAsync();

            Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth"), "the settings page scrolls sideways");
            await page.ScreenshotAsync($"admin-settings-light{(phone ? "-phone" : "")}");
        }
    }

    [Theory]
    [InlineData("admin/backups")]
    [InlineData("admin/settings")]
    public async Task Teacher_OpeningAnAdminPage_IsDenied(string path)
    {
        var page = await browser.NewPageAsync();
        await page.LoginAsync(TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        await page.GotoAsync(path);

        await Expect(page.Locator("[data-testid=back-up-now], [data-testid=settings-form]")).ToHaveCountAsync(0);
        await Expect(page.Locator("nav")).Not.ToContainTextAsync("Backups");
    }
}
