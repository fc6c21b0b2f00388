using System.Net;

using EduLoop.App.Hosting;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Api;

/// <summary>
/// The small school of original-school.sql moved by the command into a new data folder, then served by
/// the real app on a Kestrel port: the original's clients see the same ids and names, and their
/// credentials (passwords, token, access keys) keep working.
/// </summary>
[Collection(ConsoleOutput.Collection)]
public sealed class MigratedSchoolApiTests
{
    [Fact]
    public async Task MigratedSchool_ServesTheSameIdsAndNames_AndTheOldCredentialsWork()
    {
        using var directory = new TempDirectory();
        var source = Path.Combine(directory.Path, "school.db");
        await OriginalSchool.CreateSqliteAsync(source);
        var data = Path.Combine(directory.Path, "data");
        var (exitCode, _, error) = await ConsoleOutput.CaptureAsync(() => MigrateFromDjangoCommand.RunAsync(["--database", source, "--data-dir", data]));
        Assert.True(exitCode == 0, error);

        using var app = new KestrelAppFactory(data, 0, demoData: false);
        using var anonymous = new HttpClient { BaseAddress = new Uri(app.RootUrl) };

        var groups = await (await anonymous.GetAsync("/api/groups/")).JsonAsync();
        Assert.Equal([(1, "Mathematik"), (2, "Sprachen")], IdsAndNames(groups));
        var subjects = await (await anonymous.GetAsync("/api/subjects/")).JsonAsync();
        Assert.Equal([(1, "Algebra"), (2, "Englisch")], IdsAndNames(subjects));

        using var teacherToken = new HttpClient { BaseAddress = new Uri(app.RootUrl) }.WithAuthorization("Token", OriginalSchool.TeacherToken);
        var response = await teacherToken.GetAsync("/api/dashboard/question/1/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var question = await response.JsonAsync();
        Assert.Equal(1, question.GetProperty("id").GetInt32());
        Assert.Equal("Löse 2x + 3 = 7", question.GetProperty("metadata").GetProperty("question").GetString());
        Assert.Equal("x = 2", question.GetProperty("metadata").GetProperty("answer").GetString());

        // Sign in by the original user name with the original password: a token, and the hash is Identity's now.
        var signIn = await anonymous.PostJsonAsync("/api/api-token-auth/", $$"""{"username":"teacher1","password":"{{OriginalSchool.TeacherPassword}}"}""");
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var newKey = (await signIn.JsonAsync()).GetProperty("token").GetString()!;
        await using (var db = app.CreateDbContext())
        {
            var teacher = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "teacher1");
            Assert.False(DjangoPasswordHasher.IsDjangoPbkdf2(teacher.PasswordHash));
            Assert.StartsWith("AQAAAA", teacher.PasswordHash);
        }

        // A rehash is not a new password: the moved token keeps working, as does the new one.
        Assert.Equal(HttpStatusCode.OK, (await teacherToken.GetAsync("/api/dashboard/question/2/")).StatusCode);
        using var newToken = new HttpClient { BaseAddress = new Uri(app.RootUrl) }.WithAuthorization("Token", newKey);
        Assert.Equal(HttpStatusCode.OK, (await newToken.GetAsync("/api/dashboard/question/3/")).StatusCode);

        // The rehashed password signs in again; a wrong one does not.
        Assert.Equal(HttpStatusCode.OK,
            (await anonymous.PostJsonAsync("/api/api-token-auth/", $$"""{"username":"teacher1","password":"{{OriginalSchool.TeacherPassword}}"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await anonymous.PostJsonAsync("/api/api-token-auth/", """{"username":"student1","password":"Legacy-Student-Passw0rt"}""")).StatusCode);
        await using (var db = app.CreateDbContext())
        {
            Assert.True(DjangoPasswordHasher.IsDjangoPbkdf2(await db.Users.Where(u => u.UserName == "student1").Select(u => u.PasswordHash).SingleAsync()));
        }

        using var activeKey = new HttpClient { BaseAddress = new Uri(app.RootUrl) }.WithAuthorization("AccessKey", OriginalSchool.ActiveKey);
        Assert.Equal(HttpStatusCode.OK, (await activeKey.GetAsync("/api/groups/")).StatusCode);
        using var inactiveKey = new HttpClient { BaseAddress = new Uri(app.RootUrl) }.WithAuthorization("AccessKey", OriginalSchool.InactiveKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await inactiveKey.GetAsync("/api/groups/")).StatusCode);

        // The admin the app made at its first start has the number after the moved ones.
        await using (var db = app.CreateDbContext())
        {
            Assert.Equal(3, await db.Users.Where(u => u.Email == TestAccounts.AdminEmail).Select(u => u.Number).SingleAsync());
        }
    }

    private static List<(int, string)> IdsAndNames(System.Text.Json.JsonElement page) =>
        page.GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("id").GetInt32(), r.GetProperty("name").GetString()!)).OrderBy(r => r.Item1).ToList();
}
