using System.Net;
using System.Text;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Api;

/// <summary>Access keys (the original's "tokens"), users and the current user.</summary>
public sealed class AccountsApiTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task AccessKeys_GenerateListUpdateDelete()
    {
        var teacher = app.CreateClientAs(Roles.Teacher);

        var created = await teacher.PostJsonAsync("/api/token-generate/", """{"description":"Tablet cart"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.JsonAsync()).GetProperty("key").GetString()!;
        Assert.Matches("^[1-9][0-9]{7}$", key);

        var listed = await (await teacher.GetAsync("/api/token-list/?search=tablet")).JsonAsync();
        Assert.Contains(key, listed.GetProperty("results").EnumerateArray().Select(k => k.GetProperty("key").GetString()));

        var updated = await teacher.PutAsync("/api/token-update/", Json($$"""{"key":"{{key}}","is_active":false,"description":"Retired"}"""));
        var body = await updated.JsonAsync();
        Assert.False(body.GetProperty("is_active").GetBoolean());
        Assert.Equal("Retired", body.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().WithAuthorization("AccessKey", key).GetAsync("/api/groups/")).StatusCode);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/token-delete/") { Content = Json($$"""{"key":"{{key}}"}""") };
        Assert.Equal(HttpStatusCode.OK, (await teacher.SendAsync(delete)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.DeleteAsync($"/api/token-delete/?key={key}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"key":"12345678","is_active":false}""", HttpStatusCode.NotFound)]
    [InlineData("""{"is_active":false}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"key":"12345678","is_active":"no"}""", HttpStatusCode.BadRequest)]
    public async Task AccessKeys_BadUpdates(string body, HttpStatusCode expected)
    {
        var response = await app.CreateClientAs(Roles.Admin).PutAsync("/api/token-update/", Json(body));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/token-list/")]
    [InlineData("/api/users/")]
    public async Task AdminAndStaffRoutes_RefuseStudents(string url)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClientAs(Roles.Student).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Users_TeachersAreNotAdmins()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClientAs(Roles.Teacher).GetAsync("/api/users/")).StatusCode);
    }

    [Fact]
    public async Task Users_CreateReadUpdateDelete()
    {
        var admin = app.CreateClientAs(Roles.Admin);
        var email = $"{Guid.NewGuid():N}@school.test";

        var created = await admin.PostJsonAsync("/api/users/", $$"""{"email":"{{email}}","password":"long enough passphrase","name":"Ada","is_staff":true}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await created.JsonAsync();
        Assert.Equal(["id", "username", "email", "name", "role", "is_staff", "is_active", "date_joined"], user.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Teacher", user.GetProperty("role").GetString());
        var id = user.GetProperty("id").GetString();

        var patched = await (await admin.PatchAsync($"/api/users/{id}/", Json("""{"is_active":false,"role":"Student","name":"Ada L."}"""))).JsonAsync();
        Assert.False(patched.GetProperty("is_active").GetBoolean());
        Assert.Equal("Student", patched.GetProperty("role").GetString());
        Assert.Equal("Ada L.", patched.GetProperty("name").GetString());

        var list = await (await admin.GetAsync($"/api/users/?search={email}")).JsonAsync();
        Assert.Equal(1, list.GetProperty("count").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{id}/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/users/{id}/")).StatusCode);
    }

    [Theory]
    [InlineData("""{"password":"long enough passphrase"}""", "email")]
    [InlineData("""{"email":"x@school.test"}""", "password")]
    [InlineData("""{"email":"y@school.test","password":"short"}""", "password")]
    [InlineData("""{"email":"z@school.test","password":"long enough passphrase","role":"Wizard"}""", "role")]
    public async Task Users_BadCreate_Is400ForTheField(string body, string field)
    {
        var response = await app.CreateClientAs(Roles.Admin).PostJsonAsync("/api/users/", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).TryGetProperty(field, out _));
    }

    [Fact]
    public async Task CurrentUser_ReadsAndChangesTheirOwnName_ButNotTheirRoleOrActiveFlag()
    {
        var student = app.CreateClientAs(Roles.Student);

        var me = await (await student.GetAsync("/api/current-user/")).JsonAsync();
        Assert.Equal(TestAccounts.StudentEmail, me.GetProperty("email").GetString());

        var renamed = await student.PatchAsync("/api/current-user/", Json("""{"name":"Demo Student"}"""));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await student.PatchAsync("/api/current-user/", Json("""{"is_staff":true}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await student.PatchAsync("/api/current-user/", Json("""{"is_active":false}"""))).StatusCode);
        Assert.Equal("Student", (await (await student.GetAsync("/api/current-user/")).JsonAsync()).GetProperty("role").GetString());
    }

    [Fact]
    public async Task CurrentUser_AnonymousIs401_AccessKeyIs403()
    {
        string key;
        await using (var db = app.CreateDbContext())
        {
            key = db.AccessKeys.First(k => k.IsActive).Key;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/current-user/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClient().WithAuthorization("AccessKey", key).GetAsync("/api/current-user/")).StatusCode);
    }

    [Fact]
    public async Task Admin_CannotDeactivateOrDeleteThemselvesThroughUsers()
    {
        var admin = app.CreateClientAs(Roles.Admin);
        var me = await (await admin.GetAsync("/api/current-user/")).JsonAsync();
        var id = me.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PatchAsync($"/api/users/{id}/", Json("""{"is_active":false}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.DeleteAsync($"/api/users/{id}/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.DeleteAsync("/api/current-user/")).StatusCode);
    }
}
