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
        Assert.Equal("""{"message":"Token erfolgreich aktualisiert."}""", await updated.Content.ReadAsStringAsync());
        var body = (await (await teacher.GetAsync($"/api/token-list/?search={key}")).JsonAsync()).GetProperty("results")[0];
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
        var name = Guid.NewGuid().ToString("N")[..12];
        var email = $"{name}@school.test";

        var created = await admin.PostJsonAsync("/api/users/",
            $$"""{"username":"{{name}}","email":"{{email}}","password":"long enough passphrase","confirm_password":"long enough passphrase","first_name":"Ada"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await created.JsonAsync();
        Assert.Equal(["id", "username", "email", "first_name", "last_name", "is_staff", "is_active"], user.EnumerateObject().Select(p => p.Name));
        Assert.Equal(name, user.GetProperty("username").GetString());
        // As the original's: a new account is staff unless told otherwise.
        Assert.True(user.GetProperty("is_staff").GetBoolean());
        var id = user.GetProperty("id").GetInt32();

        var patched = await (await admin.PatchAsync($"/api/users/{id}/", Json("""{"is_active":false,"is_staff":false,"last_name":"Lovelace"}"""))).JsonAsync();
        Assert.False(patched.GetProperty("is_active").GetBoolean());
        Assert.False(patched.GetProperty("is_staff").GetBoolean());
        Assert.Equal(("Ada", "Lovelace"), (patched.GetProperty("first_name").GetString(), patched.GetProperty("last_name").GetString()));

        var list = await (await admin.GetAsync($"/api/users/?search={name}")).JsonAsync();
        Assert.Equal(1, list.GetProperty("count").GetInt32());
        Assert.Equal(id, (await (await admin.GetAsync($"/api/users/{id}/")).JsonAsync()).GetProperty("id").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{id}/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/users/{id}/")).StatusCode);
    }

    [Theory]
    [InlineData("""{"email":"w@school.test","password":"long enough passphrase","confirm_password":"long enough passphrase"}""", "username")]
    [InlineData("""{"username":"nomail","password":"long enough passphrase","confirm_password":"long enough passphrase"}""", "email")]
    [InlineData("""{"username":"x","email":"x@school.test"}""", "password")]
    [InlineData("""{"username":"y","email":"y@school.test","password":"short","confirm_password":"short"}""", "non_field_errors")]
    [InlineData("""{"username":"y2","email":"y2@school.test","password":"long enough passphrase","confirm_password":"other"}""", "non_field_errors")]
    [InlineData("""{"username":"v","email":"not an email","password":"long enough passphrase","confirm_password":"long enough passphrase"}""", "email")]
    [InlineData("""{"username":"z","email":"z@school.test","password":"long enough passphrase","confirm_password":"long enough passphrase","role":"Wizard"}""", "role")]
    public async Task Users_BadCreate_Is400ForTheField(string body, string field)
    {
        var response = await app.CreateClientAs(Roles.Admin).PostJsonAsync("/api/users/", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await response.JsonAsync();
        Assert.True(errors.TryGetProperty(field, out _), errors.GetRawText());
    }

    [Fact]
    public async Task CurrentUser_ReadsAndChangesTheirOwnName_ButNotTheirRoleOrActiveFlag()
    {
        var student = app.CreateClientAs(Roles.Student);

        var me = await (await student.GetAsync("/api/current-user/")).JsonAsync();
        Assert.Equal(TestAccounts.StudentEmail, me.GetProperty("email").GetString());

        var renamed = await student.PatchAsync("/api/current-user/", Json("""{"first_name":"Demo","last_name":"Student"}"""));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Student", (await renamed.JsonAsync()).GetProperty("last_name").GetString());

        var staff = await student.PatchAsync("/api/current-user/", Json("""{"is_staff":true}"""));
        Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
        Assert.Equal("""{"error":"Sie können das 'is_staff'-Feld nicht ändern."}""", await staff.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await student.PatchAsync("/api/current-user/", Json("""{"is_active":false}"""))).StatusCode);
        Assert.False((await (await student.GetAsync("/api/current-user/")).JsonAsync()).GetProperty("is_staff").GetBoolean());
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
        var id = me.GetProperty("id").GetInt32();

        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PatchAsync($"/api/users/{id}/", Json("""{"is_active":false}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.DeleteAsync($"/api/users/{id}/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.DeleteAsync("/api/current-user/")).StatusCode);
    }
}
