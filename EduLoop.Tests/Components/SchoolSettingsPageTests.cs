using System.Security.Claims;

using Bunit;

using EduLoop.App.Components.Pages.Admin;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes;
using EduLoop.Domain.Settings;
using EduLoop.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Components;

public sealed class SchoolSettingsPageTests : MudComponentTest
{
    private DomainDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        Services.AddSingleton(_database.Get<SchoolSettingsService>());
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("head@school.test");
        auth.SetRoles(Roles.Admin);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "admin"));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task SchoolSettings_ShouldRefuseAnEmptySchoolName_AndSaveNothing()
    {
        RenderProviders();
        var page = Render<SchoolSettingsPage>();

        Input(page.WaitForElement("[data-testid=school-name-input]")).Change("   ");
        page.Find("[data-testid=save-settings]").Click();

        page.WaitForAssertion(() => Assert.Contains("Enter the school's name.", page.Find("[data-testid=settings-form]").TextContent));
        Assert.Equal(new SchoolSettings(), await _database.Get<SchoolSettingsService>().LoadAsync());
    }

    [Fact]
    public async Task SchoolSettings_ShouldSave_AndConfirm()
    {
        RenderProviders();
        var page = Render<SchoolSettingsPage>();

        Input(page.WaitForElement("[data-testid=school-name-input]")).Change("Gymnasium Am See");
        Input(page.Find("[data-testid=students-may-register]")).Change(false);
        page.FindAll("[data-testid=default-review] input")[0].Click();
        page.Find("[data-testid=save-settings]").Click();

        page.WaitForAssertion(async () =>
        {
            var saved = await _database.Get<SchoolSettingsService>().LoadAsync();
            Assert.Equal("Gymnasium Am See", saved.SchoolName);
            Assert.False(saved.StudentsMayRegister);
            Assert.Equal(ReviewTime.Immediately, saved.DefaultReview.Review);
        });
        Assert.Contains(Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars, s => s.Message == "Settings saved.");
    }

    [Fact]
    public async Task BlockedWords_StayTheDefaultUntouched_AndTheAdminsListIsSaved()
    {
        RenderProviders();
        var page = Render<SchoolSettingsPage>();
        var field = TextArea(page.WaitForElement("[data-testid=blocked-words]"));
        Assert.Contains("fuck", field.GetAttribute("value") ?? field.TextContent, StringComparison.Ordinal);

        // Saving other settings keeps the default list as the default.
        page.Find("[data-testid=save-settings]").Click();
        page.WaitForAssertion(async () => Assert.Contains(Services.GetRequiredService<MudBlazor.ISnackbar>().ShownSnackbars, s => s.Message == "Settings saved."));
        Assert.Null((await _database.Get<SchoolSettingsService>().LoadAsync()).LiveBlockedWordsText);

        TextArea(page.Find("[data-testid=blocked-words]")).Change("banana\r\n  kiwi \n");
        page.Find("[data-testid=save-settings]").Click();
        page.WaitForAssertion(async () =>
            Assert.Equal(["banana", "kiwi"], (await _database.Get<SchoolSettingsService>().LoadAsync()).LiveBlockedWords));
    }

    private static AngleSharp.Dom.IElement TextArea(AngleSharp.Dom.IElement field) =>
        field.TagName == "TEXTAREA" ? field : field.QuerySelector("textarea")!;

    /// <summary>The input of a MudBlazor field, whether the test id landed on the input or on its wrapper.</summary>
    private static AngleSharp.Dom.IElement Input(AngleSharp.Dom.IElement field) =>
        field.TagName == "INPUT" ? field : field.QuerySelector("input")!;
}
