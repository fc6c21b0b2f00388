using System.Net;

using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Security;

/// <summary>Personal API tokens: hashed, listed and revoked by owners and admins, and ended with the account's access.</summary>
public sealed class ApiTokenTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private const string Password = "long enough passphrase";
    private const string NewGroup = """{"name":"Token writer"}""";

    [Fact]
    public async Task ApiTokenAuth_EachSignIn_GivesANewKeyAndAllOfThemWork()
    {
        var (_, email) = await CreateUserAsync(Roles.Teacher);

        var first = await SignInTokenAsync(email);
        var second = await SignInTokenAsync(email);

        Assert.Matches("^[0-9a-f]{40}$", first);
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.OK, (await Client(first).GetAsync("/api/token-list/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client(second).GetAsync("/api/token-list/")).StatusCode);
    }

    [Fact]
    public async Task ApiToken_IsStoredOnlyAsItsHash()
    {
        var (id, email) = await CreateUserAsync(Roles.Student);

        var key = await SignInTokenAsync(email);

        await using var connection = new SqliteConnection(app.GetService<EduLoop.Domain.DataLocation>().ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM ApiTokens WHERE UserId = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        var values = Enumerable.Range(0, row.FieldCount).Select(i => row.IsDBNull(i) ? "" : Convert.ToString(row.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToList();
        Assert.Contains(ApiTokenService.Hash(key), values);
        Assert.DoesNotContain(values, value => value.Contains(key, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Token_TeacherDemoted_CannotWriteOrReadKeys()
    {
        var (id, email) = await CreateUserAsync(Roles.Teacher);
        var client = Client(await SignInTokenAsync(email));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/token-list/")).StatusCode);

        await AdminAsync((users, admin) => users.SetRoleAsync(id, Roles.Student, admin));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostJsonAsync("/api/groups/", NewGroup)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/token-list/")).StatusCode);
        // A token made after the change carries the role they now have.
        var again = Client(await SignInTokenAsync(email));
        Assert.Equal(HttpStatusCode.Forbidden, (await again.PostJsonAsync("/api/groups/", NewGroup)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await again.GetAsync("/api/token-list/")).StatusCode);
    }

    [Fact]
    public async Task Token_AccountDeactivated_Is401()
    {
        var (id, email) = await CreateUserAsync(Roles.Teacher);
        var client = Client(await SignInTokenAsync(email));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/current-user/")).StatusCode);

        await AdminAsync((users, admin) => users.SetActiveAsync(id, false, admin));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task Token_AccountDeleted_Is401()
    {
        var (id, email) = await CreateUserAsync(Roles.Teacher);
        var client = Client(await SignInTokenAsync(email));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/current-user/")).StatusCode);

        await AdminAsync((users, admin) => users.DeleteAsync(id, admin));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task Token_PasswordResetByAdmin_Is401()
    {
        var (id, email) = await CreateUserAsync(Roles.Teacher);
        var client = Client(await SignInTokenAsync(email));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/current-user/")).StatusCode);

        await AdminAsync((users, _) => users.ResetPasswordAsync(id, "a brand new passphrase"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task Token_PasswordChangedByItsOwner_Is401()
    {
        var (_, email) = await CreateUserAsync(Roles.Student);
        var client = Client(await SignInTokenAsync(email));
        var other = Client(await SignInTokenAsync(email));

        var changed = await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/api/current-user/")
        {
            Content = new StringContent("""{"password":"another long passphrase","confirm_password":"another long passphrase"}""", System.Text.Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/current-user/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task Token_RevokedByItsOwnerThroughTheApi_Is401()
    {
        var (_, email) = await CreateUserAsync(Roles.Teacher);
        var owner = Client(await SignInTokenAsync(email));
        var made = await (await owner.PostJsonAsync("/api/current-user/tokens/", """{"name":"Grading robot","expires_in_days":30}""")).JsonAsync();
        var robot = Client(made.GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await robot.GetAsync("/api/current-user/")).StatusCode);

        var listed = await (await owner.GetAsync("/api/current-user/tokens/")).JsonAsync();
        Assert.Contains(listed.EnumerateArray(), t => t.GetProperty("name").GetString() == "Grading robot" && !t.TryGetProperty("token", out _));
        var revoked = await owner.DeleteAsync($"/api/current-user/tokens/{made.GetProperty("id").GetInt32()}/");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await robot.GetAsync("/api/current-user/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task Token_SomeoneElsesId_CannotBeRevokedByItsOwnerRoute()
    {
        var (_, victim) = await CreateUserAsync(Roles.Teacher);
        var (_, attacker) = await CreateUserAsync(Roles.Teacher);
        var victimClient = Client(await SignInTokenAsync(victim));
        var victimTokenId = (await (await victimClient.GetAsync("/api/current-user/tokens/")).JsonAsync())[0].GetProperty("id").GetInt32();

        var response = await Client(await SignInTokenAsync(attacker)).DeleteAsync($"/api/current-user/tokens/{victimTokenId}/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victimClient.GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task Token_RevokedByAnAdminThroughTheApi_Is401()
    {
        var (id, email) = await CreateUserAsync(Roles.Teacher);
        var client = Client(await SignInTokenAsync(email));
        var admin = app.CreateClientAs(Roles.Admin);
        var listed = await (await admin.GetAsync($"/api/users/{id}/tokens/")).JsonAsync();

        var revoked = await admin.DeleteAsync($"/api/users/{id}/tokens/{listed[0].GetProperty("id").GetInt32()}/");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/current-user/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClientAs(Roles.Teacher).GetAsync($"/api/users/{id}/tokens/")).StatusCode);
    }

    [Fact]
    public async Task Token_Expired_Is401_EvenWhenItWasJustUsed()
    {
        var (id, _) = await CreateUserAsync(Roles.Teacher);
        NewApiToken made;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            made = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(id, "Short-lived", DateTime.UtcNow.AddSeconds(2));
        }

        var client = Client(made.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/current-user/")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task AccountPage_MakeShowOnceAndRevoke_EndsTheToken()
    {
        var (_, email) = await CreateUserAsync(Roles.Student);
        var browser = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, Password)).StatusCode);

        var made = await browser.SubmitFormAsync("/Account/Manage/ApiTokens", new Dictionary<string, string>
        {
            ["Input.Name"] = "Phone app",
            ["Input.ExpiresInDays"] = "30",
        });
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await made.BodyAsync());
        var key = page.QuerySelector("[data-testid='new-token'] code")!.TextContent.Trim();
        Assert.Matches("^[0-9a-f]{40}$", key);
        Assert.Equal(HttpStatusCode.OK, (await Client(key).GetAsync("/api/current-user/")).StatusCode);

        // Shown once: the page does not show it again.
        var again = await browser.GetDocumentAsync("/Account/Manage/ApiTokens");
        Assert.DoesNotContain(key, again.Body!.OuterHtml);
        Assert.Contains("Phone app", again.QuerySelector("[data-testid='tokens']")!.TextContent);

        var form = again.QuerySelector("button[name='RevokeId']")!.Closest("form")!;
        var revoke = await browser.PostAsync("/Account/Manage/ApiTokens", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = form.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!,
            ["_handler"] = form.QuerySelector("input[name='_handler']")!.GetAttribute("value")!,
            ["RevokeId"] = form.QuerySelector("button[name='RevokeId']")!.GetAttribute("value")!,
        }));

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Contains("no-tokens", await revoke.BodyAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(key).GetAsync("/api/current-user/")).StatusCode);
    }

    private HttpClient Client(string key) => app.CreateClient().WithAuthorization("Token", key);

    private async Task<string> SignInTokenAsync(string email)
    {
        var response = await app.CreateClient().PostJsonAsync("/api/api-token-auth/", $$"""{"username":"{{email}}","password":"{{Password}}"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("token").GetString()!;
    }

    private async Task<(string Id, string Email)> CreateUserAsync(string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<UserAdminService>()
            .CreateAsync(new NewUser($"{Guid.NewGuid():N}@school.test", "Someone", role, Password));
        return (created.Id, created.Email);
    }

    private async Task AdminAsync(Func<UserAdminService, string, Task> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(TestAccounts.AdminEmail);
        await action(scope.ServiceProvider.GetRequiredService<UserAdminService>(), admin!.Id);
    }
}
