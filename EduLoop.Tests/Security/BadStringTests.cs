using System.Net;
using System.Text;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Security;

/// <summary>
/// One string that .NET cannot read — a lone surrogate escape or bytes that are not UTF-8 — sent to
/// every route that reads a body: a 400 that names the field, and nothing stored.
/// </summary>
public sealed class BadStringTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private const string LoneSurrogate = "\"\\ud800\"";

    /// <summary>Route, method, who calls, the body with <c>BAD</c> where the bad string goes, and the field it is in.</summary>
    public static TheoryData<string, string, string, string, string> Routes() => new()
    {
        { "POST", "/api/api-token-auth/", "", """{"username": BAD, "password": "x"}""", "username" },
        { "POST", "/api/token-verify/", "", """{"key": BAD}""", "key" },
        { "POST", "/api/questions/answer/", Roles.Student, """{"question_id": 1, "response": BAD}""", "response" },
        { "POST", "/api/questions/", Roles.Student, """{"group_id": 1, "subject_id": 1, "note": BAD}""", "note" },
        { "POST", "/api/groups/", Roles.Teacher, """{"name": BAD, "description": ""}""", "name" },
        { "POST", "/api/subjects/", Roles.Teacher, """{"name": BAD, "group": "Sciences"}""", "name" },
        { "POST", "/api/categories/", Roles.Teacher, """{"name": BAD, "subject": "Physics", "group": "Sciences"}""", "name" },
        { "POST", "/api/subcategories/", Roles.Teacher, """{"name": "x", "category": BAD}""", "category" },
        { "POST", "/api/question/create/", Roles.Teacher, """{"group": "Sciences", "type": "mcq", "metadata": {"question": "x", "options": ["a", BAD]}}""", "metadata.options[1]" },
        { "POST", "/api/upload-questions/", Roles.Teacher, """[{"group": "Sciences", "metadata": {"question": BAD}}]""", "[0].metadata.question" },
        { "PATCH", "/api/dashboard/question/1/", Roles.Teacher, """{"metadata": {"question": BAD}}""", "metadata.question" },
        { "POST", "/api/token-generate/", Roles.Teacher, """{"description": BAD}""", "description" },
        { "PUT", "/api/token-update/", Roles.Teacher, """{"key": "12345678", "description": BAD}""", "description" },
        { "POST", "/api/users/", Roles.Admin, """{"email": "new@school.test", "password": "long enough passphrase", "name": BAD}""", "name" },
        { "PATCH", "/api/current-user/", Roles.Student, """{"name": BAD}""", "name" },
        { "POST", "/api/groups/", Roles.Teacher, """{BAD: "x"}""", "non_field_errors" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ALoneSurrogate_Is400WithTheField_AndNothingIsStored(string method, string path, string role, string body, string field)
    {
        var before = await CountsAsync();

        var response = await SendAsync(method, path, role, Encoding.UTF8.GetBytes(body.Replace("BAD", LoneSurrogate, StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task InvalidUtf8_Is400_AndNothingIsStored(string method, string path, string role, string body, string field)
    {
        _ = field;
        var before = await CountsAsync();
        var parts = body.Split("BAD");
        var bytes = Encoding.UTF8.GetBytes(parts[0]).Concat(new byte[] { (byte)'"', 0xED, 0xA0, 0x80, 0xFF, (byte)'"' }).Concat(Encoding.UTF8.GetBytes(parts[1])).ToArray();

        var response = await SendAsync(method, path, role, bytes);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task AnAnswerWithALoneSurrogate_IsRefused_AndTheSavedOneStays()
    {
        int attempt;
        await using (var db = app.CreateDbContext())
        {
            var student = await db.Users.Where(u => u.Email == TestAccounts.StudentEmail).Select(u => u.Id).SingleAsync();
            var schoolClass = new SchoolClass { Name = "Surrogates" };
            db.SchoolClasses.Add(schoolClass);
            await db.SaveChangesAsync();
            db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = student, JoinedAt = DateTime.UtcNow });
            var question = await db.Questions.Where(q => q.Type == QuestionType.FillBlank).OrderBy(q => q.Id).Select(q => q.Id).FirstAsync();
            var quiz = new Quiz { Title = "Strings", AttemptsAllowed = 0 };
            quiz.Slots.Add(new QuizSlot { Position = 1, QuestionId = question });
            db.Quizzes.Add(quiz);
            await db.SaveChangesAsync();
            db.QuizAssignments.Add(new QuizAssignment { QuizId = quiz.Id, SchoolClassId = schoolClass.Id });
            await db.SaveChangesAsync();
            var client = app.CreateClientAs(Roles.Student);
            attempt = (await (await client.PostAsync($"/api/quizzes/{quiz.Id}/attempt/", null)).JsonAsync()).GetProperty("id").GetInt32();
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/api/attempts/{attempt}/answers/1/", Json("""{"response": "fine", "sequence": 1}"""))).StatusCode);
        }

        var bad = await app.CreateClientAs(Roles.Student).PutAsync($"/api/attempts/{attempt}/answers/1/", Json($$"""{"response": {{LoneSurrogate}}, "sequence": 2}"""));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.JsonAsync()).TryGetProperty("response", out _));
        await using var check = app.CreateDbContext();
        var saved = await check.AttemptQuestions.SingleAsync(q => q.AttemptId == attempt);
        Assert.Equal(("\"fine\"", 1L), (saved.Response, saved.Sequence));
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClientAs(Roles.Student).PostAsync($"/api/attempts/{attempt}/submit/", null)).StatusCode);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string role, byte[] body)
    {
        var client = role.Length == 0 ? app.CreateClient() : app.CreateClientAs(role);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = content });
    }

    /// <summary>The rows any of the routes could write.</summary>
    private async Task<string> CountsAsync()
    {
        await using var db = app.CreateDbContext();
        return string.Join(",",
            await db.Groups.CountAsync(), await db.Subjects.CountAsync(), await db.Categories.CountAsync(), await db.SubCategories.CountAsync(),
            await db.Questions.CountAsync(), await db.QuestionVersions.CountAsync(), await db.AccessKeys.CountAsync(), await db.Users.CountAsync(),
            await db.PracticeSessions.CountAsync(), await db.ApiTokens.CountAsync(),
            await db.Users.Select(u => u.DisplayName).OrderBy(n => n).FirstOrDefaultAsync(),
            await db.Questions.OrderByDescending(q => q.UpdatedAt).Select(q => q.UpdatedAt).FirstAsync());
    }
}
