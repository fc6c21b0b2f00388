using System.Net;

using AngleSharp.Html.Dom;

using EduLoop.Domain.Identity;
using EduLoop.Domain.Settings;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Api;

/// <summary>The school's settings as the running app applies them; the tests share one app, so each puts back what it changed.</summary>
public sealed class SchoolSettingsAppTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>, IAsyncLifetime
{
    private SchoolSettingsService Settings => app.Services.GetRequiredService<SchoolSettingsService>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Settings.SaveAsync(new SchoolSettings());

    [Fact]
    public async Task Register_WhenStudentsMayNotRegister_ShowsWhyAndRefusesThePost()
    {
        var browser = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true }).From(ClientAddressExtensions.NewAddress());
        var open = await browser.GetDocumentAsync("/Account/Register");
        var values = open.Forms.Single(f => f.QuerySelector("input[name='_handler']") is not null)
            .QuerySelectorAll("input[type='hidden']").OfType<IHtmlInputElement>()
            .ToDictionary(i => i.Name!, i => i.Value);
        var email = $"{Guid.NewGuid():N}@school.test";
        values["Input.DisplayName"] = "New Student";
        values["Input.Email"] = email;
        values["Input.Password"] = values["Input.ConfirmPassword"] = "long enough";

        await Settings.SaveAsync(Settings.Current with { StudentsMayRegister = false });
        var page = await browser.GetAsync("/Account/Register");
        var posted = await browser.PostAsync("/Account/Register", new FormUrlEncodedContent(values));

        var body = await page.BodyAsync();
        Assert.Contains("This school does not let students create their own accounts.", body);
        Assert.DoesNotContain("register-submit", body);
        // The closed page has no form to post to: the post is refused before any account is made.
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        await using var db = app.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == email));
    }

    [Fact]
    public async Task SignIn_LinksToRegistration_OnlyWhileStudentsMayRegister()
    {
        var open = await app.CreateClient().GetDocumentAsync("/Account/Login");
        await Settings.SaveAsync(Settings.Current with { StudentsMayRegister = false });
        var closed = await app.CreateClient().GetDocumentAsync("/Account/Login");

        Assert.NotNull(open.QuerySelector("[data-testid=register-link] a[href*='Account/Register']"));
        Assert.Null(closed.QuerySelector("[data-testid=register-link]"));
        Assert.Null(closed.QuerySelector("a[href*='Account/Register']"));
    }

    [Fact]
    public async Task Pages_ShowTheSchoolName_InTheAppBarAndTheTitle()
    {
        await Settings.SaveAsync(Settings.Current with { SchoolName = "Gymnasium Am See" });

        var home = await app.CreateClientAs(Roles.Teacher).GetDocumentAsync("/quizzes");
        var login = await app.CreateClient().GetDocumentAsync("/Account/Login");

        Assert.Equal("Quizzes · Gymnasium Am See", home.Title);
        Assert.Equal("Gymnasium Am See", home.QuerySelector("[data-testid=school-name]")?.TextContent.Trim());
        Assert.Equal("Log in · Gymnasium Am See", login.Title);
        Assert.Equal("Gymnasium Am See", login.QuerySelector("[data-testid=school-name]")?.TextContent.Trim());
    }

    [Fact]
    public async Task Pages_WithoutALanguageChosen_AreInTheSchoolsDefaultLanguage()
    {
        await Settings.SaveAsync(Settings.Current with { DefaultLanguage = "de" });

        var login = await app.CreateClient().GetDocumentAsync("/Account/Login");
        var chosen = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        chosen.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");
        var english = await (await app.CreateClient().SendAsync(chosen)).BodyAsync();

        Assert.Equal("de", login.DocumentElement.GetAttribute("lang"));
        Assert.Contains("<html lang=\"en\"", english);

        // A browser's language does not come before the school's.
        var browser = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        browser.Headers.Add("Accept-Language", "en-US,en;q=0.9");
        Assert.Contains("<html lang=\"de\"", await (await app.CreateClient().SendAsync(browser)).BodyAsync());
    }

    [Fact]
    public void Languages_AreTheSharedReadOnlyCultures_SoNoRequestCopiesOne()
    {
        var localization = EduLoop.App.Hosting.AppPipeline.Localization(Settings);

        Assert.Equal(["en", "de"], localization.SupportedCultures!.Select(c => c.Name));
        Assert.All(localization.SupportedCultures!.Concat(localization.SupportedUICultures!), c => Assert.True(c.IsReadOnly, c.Name));
        Assert.True(localization.DefaultRequestCulture.Culture.IsReadOnly);
    }
}
