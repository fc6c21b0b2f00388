using System.Net;
using System.Text.Json;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Api;

public sealed class PracticeApiTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    [Theory]
    [InlineData("{}")]
    [InlineData("""{"group_id":1}""")]
    [InlineData("""{"subject_id":1}""")]
    [InlineData("""{"group_id":"x","subject_id":1}""")]
    [InlineData("""{"group_id":1,"subject_id":1,"levels":["hard"]}""")]
    [InlineData("""{"group_id":1,"subject_id":1,"category_ids":"3"}""")]
    [InlineData("[1,2]")]
    public async Task Start_WithoutAValidGroupAndSubject_Is400WithErrors(string body)
    {
        var response = await app.CreateClientAs(Roles.Student).PostJsonAsync("/api/questions/", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await response.JsonAsync();
        Assert.True(errors.TryGetProperty("errors", out _) || errors.TryGetProperty("non_field_errors", out _), errors.GetRawText());
    }

    [Fact]
    public async Task Session_ViaCookie_ShowsEveryQuestionOnce_WithoutAnswerKeys_Then404()
    {
        var (groupId, subjectId, subCategoryId, poolSize) = await SmallPoolAsync();
        var client = app.CreateClientAs(Roles.Student);

        var start = await client.PostJsonAsync("/api/questions/", $$"""{"group_id":{{groupId}},"subject_id":{{subjectId}},"subcategory_ids":[{{subCategoryId}}]}""");
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Contains(start.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sessionid=", StringComparison.Ordinal) && c.Contains("httponly"));
        var first = await start.JsonAsync();
        var ids = new List<int> { QuestionOf(first).GetProperty("id").GetInt32() };
        AssertNoAnswerKey(QuestionOf(first));

        while (true)
        {
            var next = await client.GetAsync("/api/questions/");
            if (next.StatusCode == HttpStatusCode.NotFound)
            {
                Assert.True((await next.JsonAsync()).TryGetProperty("errors", out _));
                break;
            }

            // The next question is the question object itself, as the original answered it.
            var question = await next.JsonAsync();
            AssertNoAnswerKey(question);
            ids.Add(question.GetProperty("id").GetInt32());
        }

        Assert.Equal(poolSize, ids.Count);
        Assert.Equal(poolSize, ids.Distinct().Count());
    }

    [Fact]
    public async Task Session_HeaderOrQuery_AreAcceptedToo_AndDeleteEndsIt()
    {
        var (groupId, subjectId, _, _) = await SmallPoolAsync();
        var start = await (await app.CreateClientAs(Roles.Student).PostJsonAsync("/api/questions/", $$"""{"group_id":{{groupId}},"subject_id":{{subjectId}}}""")).JsonAsync();
        var session = start.GetProperty("session_id").GetString()!;

        var byHeader = app.CreateClientAs(Roles.Student);
        byHeader.DefaultRequestHeaders.Add("X-Session-Id", session);
        Assert.Equal(HttpStatusCode.OK, (await byHeader.GetAsync("/api/questions/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClientAs(Roles.Student).GetAsync($"/api/questions/?session_id={session}")).StatusCode);

        var ended = await byHeader.DeleteAsync("/api/questions/");
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.True((await ended.JsonAsync()).TryGetProperty("message", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await byHeader.GetAsync("/api/questions/")).StatusCode);
    }

    [Fact]
    public async Task Next_WithoutASession_Is400()
    {
        var response = await app.CreateClient().GetAsync("/api/questions/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await response.JsonAsync();
        Assert.True(errors.TryGetProperty("errors", out _) || errors.TryGetProperty("non_field_errors", out _), errors.GetRawText());
    }

    [Fact]
    public async Task Staff_SeeTheAnswerKey()
    {
        var (groupId, subjectId, _, _) = await SmallPoolAsync();

        var teacher = app.CreateClientAs(Roles.Teacher);
        await teacher.PostJsonAsync("/api/questions/", $$"""{"group_id":{{groupId}},"subject_id":{{subjectId}},"levels":["easy","medium","advance"]}""");

        Assert.True(await KeyedQuestionsAsync(teacher) > 0);
    }

    /// <summary>Takes up to 20 questions of the caller's session; every one of a marked type carries its key. Returns how many did.</summary>
    internal static async Task<int> KeyedQuestionsAsync(HttpClient client, string? session = null)
    {
        var keyed = 0;
        for (var i = 0; i < 20; i++)
        {
            var response = await client.GetAsync(session is null ? "/api/questions/" : $"/api/questions/?session_id={session}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                break;
            }

            var question = await response.JsonAsync();
            var type = question.GetProperty("type").GetString();
            var metadata = question.GetProperty("metadata");
            if (type is "mcq" or "mcq_multi" or "true_false" or "fill_blank" or "math")
            {
                Assert.True(metadata.TryGetProperty("answer", out _), metadata.GetRawText());
                keyed++;
            }
        }

        return keyed;
    }

    [Fact]
    public async Task Answer_Check_SaysRightOrWrong_AndGivesTheKey()
    {
        int id;
        string right;
        await using (var db = app.CreateDbContext())
        {
            var mcq = await db.Questions.AsNoTracking().FirstAsync(q => q.Type == EduLoop.Domain.QuestionBank.QuestionType.Mcq);
            id = mcq.Id;
            right = mcq.Body.Choices.Single(c => c.IsCorrect).Text;
        }

        var client = app.CreateClientAs(Roles.Student);
        var good = await (await client.PostJsonAsync("/api/questions/answer/", JsonSerializer.Serialize(new { question_id = id, response = right }))).JsonAsync();
        var bad = await (await client.PostJsonAsync("/api/questions/answer/", JsonSerializer.Serialize(new { question_id = id, response = "surely not" }))).JsonAsync();

        Assert.True(good.GetProperty("correct").GetBoolean());
        Assert.False(bad.GetProperty("correct").GetBoolean());
        Assert.Equal(right, bad.GetProperty("answer").GetString());
        Assert.True(bad.TryGetProperty("explanation", out _));
        // Both answers are the student's reviews of the question, rated by their mark.
        await using var read = app.CreateDbContext();
        Assert.Equal([EduLoop.Domain.Learning.Rating.Good, EduLoop.Domain.Learning.Rating.Again],
            await read.ReviewLogs.Where(l => l.QuestionId == id).OrderBy(l => l.Id).Select(l => l.Rating).ToListAsync());
        Assert.Equal(2, (await read.ReviewStates.SingleAsync(s => s.QuestionId == id)).Reviews);
    }

    [Theory]
    [InlineData("""{"question_id":999999,"response":"x"}""", HttpStatusCode.NotFound)]
    [InlineData("""{"response":"x"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"question_id":1}""", HttpStatusCode.BadRequest)]
    public async Task Answer_BadRequests(string body, HttpStatusCode expected)
    {
        var response = await app.CreateClientAs(Roles.Student).PostJsonAsync("/api/questions/answer/", body);

        Assert.Equal(expected, response.StatusCode);
    }

    private static JsonElement QuestionOf(JsonElement step) => step.GetProperty("question");

    private static void AssertNoAnswerKey(JsonElement question)
    {
        var metadata = question.GetProperty("metadata");
        Assert.False(metadata.TryGetProperty("answer", out _), metadata.GetRawText());
        Assert.False(metadata.TryGetProperty("explanation", out _));
        Assert.False(metadata.TryGetProperty("pairs", out _));
    }

    private async Task<(int Group, int Subject, int SubCategory, int PoolSize)> SmallPoolAsync()
    {
        await using var db = app.CreateDbContext();
        var sub = await db.SubCategories.Where(s => s.Name == "Foundations").OrderBy(s => s.Id).FirstAsync();
        var size = await db.Questions.CountAsync(q => q.SubCategoryId == sub.Id && q.Type != EduLoop.Domain.QuestionBank.QuestionType.Description);
        return (sub.GroupId, sub.SubjectId, sub.Id, size);
    }
}

/// <summary>The app with the original service's behaviour of sending answer keys to everyone.</summary>
public sealed class ExposedKeysAppFactory : EduLoopAppFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("EduLoop:Api:ExposeAnswerKeys", "true");
    }
}

public sealed class ExposedAnswerKeysTests(ExposedKeysAppFactory app) : IClassFixture<ExposedKeysAppFactory>
{
    [Fact]
    public async Task AStudent_SeesTheKey_WhenTheSettingAsksForIt()
    {
        int groupId, subjectId;
        await using (var db = app.CreateDbContext())
        {
            var physics = await db.Subjects.SingleAsync(s => s.Name == "Physics");
            (groupId, subjectId) = (physics.GroupId, physics.Id);
        }

        var start = await (await app.CreateClientAs(Roles.Student).PostJsonAsync("/api/questions/", $$"""{"group_id":{{groupId}},"subject_id":{{subjectId}}}""")).JsonAsync();

        Assert.True(await PracticeApiTests.KeyedQuestionsAsync(app.CreateClientAs(Roles.Student), start.GetProperty("session_id").GetString()) > 0);
    }
}
