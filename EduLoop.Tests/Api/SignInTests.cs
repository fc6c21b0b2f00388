using System.Net;

using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Api;

/// <summary>The static Identity forms, posted as a browser posts them.</summary>
public sealed class SignInTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private HttpClient NewBrowser() => app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Login_RightPassword_SignsInAndRedirects()
    {
        var browser = NewBrowser();

        var response = await LoginAsync(browser, TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        var home = await (await browser.GetAsync("/")).BodyAsync();
        Assert.Contains("count-questions", home);
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsAnErrorAndStaysSignedOut()
    {
        var browser = NewBrowser();

        var response = await LoginAsync(browser, TestAccounts.StudentEmail, "not the password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong email or password.", await response.BodyAsync());
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_EmptyFields_ShowsFieldErrors()
    {
        var response = await LoginAsync(NewBrowser(), "", "");

        var body = await response.BodyAsync();
        Assert.Contains("Enter your email address.", body);
        Assert.Contains("Enter your password.", body);
    }

    [Fact]
    public async Task Login_FiveWrongPasswords_DoNotLockTheAccount()
    {
        // No lockout page telling that the account exists: guessing is throttled per account name instead (GuessingTests).
        var email = await CreateUserAsync(Roles.Student);
        var browser = NewBrowser();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await LoginAsync(browser, email, "wrong")).StatusCode);
        }

        var right = await LoginAsync(browser, email, "long enough passphrase");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.DoesNotContain("Lockout", right.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Login_DeactivatedAccount_IsRefusedWithAClearMessage()
    {
        var email = await CreateUserAsync(Roles.Teacher);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            user.IsActive = false;
            await users.UpdateAsync(user);
        }

        var response = await LoginAsync(NewBrowser(), email, "long enough passphrase");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This account has been deactivated.", await response.BodyAsync());
    }

    [Fact]
    public async Task Register_ValidStudentWithClassKey_CreatesAStudentInThatClass()
    {
        string key;
        await using (var db = app.CreateDbContext())
        {
            key = await db.AccessKeys.Where(k => k.IsActive && k.SchoolClassId != null).Select(k => k.Key).FirstAsync();
        }

        var email = $"{Guid.NewGuid():N}@school.test";
        var response = await NewBrowser().SubmitFormAsync("/Account/Register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "New Student",
            ["Input.Email"] = email,
            ["Input.Password"] = "eight ch",
            ["Input.ConfirmPassword"] = "eight ch",
            ["Input.AccessKey"] = key,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var check = app.CreateDbContext();
        var user = await check.Users.SingleAsync(u => u.Email == email);
        Assert.Equal("New Student", user.DisplayName);
        Assert.True(await check.UserRoles.AnyAsync(r => r.UserId == user.Id && r.RoleId == "student"));
        Assert.True(await check.ClassMemberships.AnyAsync(m => m.UserId == user.Id));
    }

    [Theory]
    [InlineData("Name", "not-an-email", "long enough", "long enough", "", "Enter a valid email address.")]
    [InlineData("Name", "a@school.test", "short", "short", "", "Passwords must be at least 8 characters.")]
    [InlineData("Name", "b@school.test", "long enough", "different one", "", "The passwords do not match.")]
    [InlineData("", "c@school.test", "long enough", "long enough", "", "Enter your name.")]
    [InlineData("Name", "d@school.test", "long enough", "long enough", "00000000", "No active class has this key.")]
    public async Task Register_BadInput_ShowsTheErrorAndCreatesNothing(
        string name, string email, string password, string confirm, string key, string error)
    {
        var before = await CountUsersAsync();

        var response = await NewBrowser().SubmitFormAsync("/Account/Register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = name,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = confirm,
            ["Input.AccessKey"] = key,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(error), await response.BodyAsync());
        Assert.Equal(before, await CountUsersAsync());
    }

    [Fact]
    public async Task Register_TakenEmail_SaysSoOnce()
    {
        var response = await NewBrowser().SubmitFormAsync("/Account/Register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Copy",
            ["Input.Email"] = TestAccounts.StudentEmail,
            ["Input.Password"] = "long enough",
            ["Input.ConfirmPassword"] = "long enough",
        });

        var body = await response.BodyAsync();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(body, "An account with this email already exists."));
    }

    [Fact]
    public async Task Logout_SignedIn_EndsTheSession()
    {
        var browser = NewBrowser();
        await LoginAsync(browser, TestAccounts.TeacherEmail, TestAccounts.TeacherPassword);
        var account = await browser.GetDocumentAsync("/Account/Manage");
        var token = account.QuerySelector("form[action='Account/Logout'] input[name='__RequestVerificationToken']")!.GetAttribute("value")!;

        var response = await browser.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["ReturnUrl"] = "",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Learn, practise, remember.", await (await browser.GetAsync("/")).BodyAsync());
    }

    [Fact]
    public async Task AChangedSecurityStamp_EndsOtherSessions_AtOnce()
    {
        var email = await CreateUserAsync(Roles.Teacher);
        var browser = NewBrowser();
        await LoginAsync(browser, email, "long enough passphrase");
        Assert.Contains("count-questions", await (await browser.GetAsync("/")).BodyAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByEmailAsync(email))!);
        }

        Assert.Contains("Learn, practise, remember.", await (await browser.GetAsync("/")).BodyAsync());
    }

    [Fact]
    public async Task StampValidator_FreshCookieWithTheCurrentStamp_BuildsNothingElse()
    {
        ApplicationUser user;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            user = (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(TestAccounts.TeacherEmail))!;
        }

        var validator = new EduLoop.App.Components.Account.CachedSecurityStampValidator(
            Microsoft.Extensions.Options.Options.Create(new SecurityStampValidatorOptions()),
            Microsoft.Extensions.Options.Options.Create(new IdentityOptions()),
            app.GetService<AccountStamps>());
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [
                new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id),
                new System.Security.Claims.Claim(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType, user.SecurityStamp!),
            ], "cookie"));
        CookieValidatePrincipalContext Cookie(DateTimeOffset? issued) => new(context,
            new Microsoft.AspNetCore.Authentication.AuthenticationScheme("cookie", null, typeof(CookieAuthenticationHandler)), new CookieAuthenticationOptions(),
            new Microsoft.AspNetCore.Authentication.AuthenticationTicket(principal,
                new Microsoft.AspNetCore.Authentication.AuthenticationProperties { IssuedUtc = issued }, "cookie"));

        // Nothing that could renew a cookie is registered here: a fresh cookie needs nothing, an old one or one without a time asks for it.
        var fresh = Cookie(DateTimeOffset.UtcNow.AddMinutes(-5));
        await validator.ValidateAsync(fresh);
        Assert.Same(principal, fresh.Principal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => validator.ValidateAsync(Cookie(DateTimeOffset.UtcNow.AddMinutes(-31))));
        await Assert.ThrowsAsync<InvalidOperationException>(() => validator.ValidateAsync(Cookie(null)));
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient browser, string email, string password) =>
        browser.SubmitFormAsync("/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    private async Task<string> CreateUserAsync(string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<UserAdminService>()
            .CreateAsync(new NewUser($"{Guid.NewGuid():N}@school.test", "Someone", role, "long enough passphrase"));
        return created.Email;
    }

    private async Task<int> CountUsersAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.Users.CountAsync();
    }
}
