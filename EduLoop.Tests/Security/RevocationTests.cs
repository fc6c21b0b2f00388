using System.Net;

using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Security;

/// <summary>Taking access away takes it away at once: old cookies and open circuits of the account stop working.</summary>
public sealed class RevocationTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private const string Password = "long enough passphrase";
    private const string NewGroup = """{"name":"Revoked writer"}""";

    [Fact]
    public async Task Cookie_TeacherDemoted_CannotWriteOrReadKeysAtOnce()
    {
        var (id, email) = await CreateUserAsync(Roles.Teacher);
        var browser = await SignedInBrowserAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/token-list/")).StatusCode);

        await AdminAsync(async (users, admin) => await users.SetRoleAsync(id, Roles.Student, admin));

        // The old cookie ends: the session carried the teacher's role.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostJsonAsync("/api/groups/", NewGroup)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/token-list/")).StatusCode);
        // Signed in again, they are the student they now are.
        var again = await SignedInBrowserAsync(email);
        Assert.Equal(HttpStatusCode.Forbidden, (await again.PostJsonAsync("/api/groups/", NewGroup)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await again.GetAsync("/api/token-list/")).StatusCode);
    }

    [Fact]
    public async Task Cookie_AccountDeactivated_IsSignedOutAtOnce()
    {
        var (id, email) = await CreateUserAsync(Roles.Teacher);
        var browser = await SignedInBrowserAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/current-user/")).StatusCode);

        await AdminAsync(async (users, admin) => await users.SetActiveAsync(id, false, admin));

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/current-user/")).StatusCode);
        Assert.Contains("Learn, practise, remember.", await (await browser.GetAsync("/")).BodyAsync());
    }

    [Fact]
    public async Task Cookie_AccountDeleted_IsSignedOutAtOnce()
    {
        var (id, email) = await CreateUserAsync(Roles.Teacher);
        var browser = await SignedInBrowserAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/current-user/")).StatusCode);

        await AdminAsync(async (users, admin) => await users.DeleteAsync(id, admin));

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/current-user/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostJsonAsync("/api/groups/", NewGroup)).StatusCode);
    }

    [Fact]
    public async Task Cookie_PasswordResetByAdmin_IsSignedOutAtOnce()
    {
        var (id, email) = await CreateUserAsync(Roles.Teacher);
        var browser = await SignedInBrowserAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/current-user/")).StatusCode);

        await AdminAsync(async (users, _) => await users.ResetPasswordAsync(id, "a brand new passphrase"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task Cookie_PasswordChangedOnTheAccountPage_EndsOtherSessionsButNotThisOne()
    {
        var (_, email) = await CreateUserAsync(Roles.Student);
        var here = await SignedInBrowserAsync(email);
        var elsewhere = await SignedInBrowserAsync(email);

        var changed = await here.SubmitFormAsync("/Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = Password,
            ["Input.NewPassword"] = "another long passphrase",
            ["Input.ConfirmPassword"] = "another long passphrase",
        });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync("/api/current-user/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task Cookie_NameChanged_StaysSignedIn()
    {
        var (id, email) = await CreateUserAsync(Roles.Teacher);
        var browser = await SignedInBrowserAsync(email);

        await AdminAsync(async (users, _) => await users.UpdateProfileAsync(id, null, "Another Name"));

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task Circuit_TeacherDemoted_BecomesAnonymousAtOnce()
    {
        var (id, _) = await CreateUserAsync(Roles.Teacher);
        await using var circuit = app.Services.CreateAsyncScope();
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        var users = circuit.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var principal = await circuit.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>()
            .CreateAsync((await users.FindByIdAsync(id))!);
        // As the server does when a circuit starts: the connection's sign-in becomes the circuit's.
        ((IHostEnvironmentAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        var changed = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async state => changed.TrySetResult(await state);

        await AdminAsync(async (admin, adminId) => await admin.SetRoleAsync(id, Roles.Student, adminId));

        // Told at once, not at the next periodic revalidation (30 seconds).
        var state = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(state.User.Identity?.IsAuthenticated);
        Assert.False((await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated);
    }

    private async Task<HttpClient> SignedInBrowserAsync(string email)
    {
        var browser = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var response = await browser.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    private async Task<(string Id, string Email)> CreateUserAsync(string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<UserAdminService>()
            .CreateAsync(new NewUser($"{Guid.NewGuid():N}@school.test", "Someone", role, Password));
        return (created.Id, created.Email);
    }

    /// <summary>Runs an admin's action through the same service the Users page and the API call.</summary>
    private async Task AdminAsync(Func<UserAdminService, string, Task> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(TestAccounts.AdminEmail);
        await action(scope.ServiceProvider.GetRequiredService<UserAdminService>(), admin!.Id);
    }
}
