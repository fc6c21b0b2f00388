using System.Net;
using System.Text.Json;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Api;

public sealed class QuestionsApiTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private const string NewMcq = """
        {"group":"Mathematics","subject":"Algebra","category":"Linear equations","subcategory":"Foundations",
         "level":"medium","type":"mcq",
         "metadata":{"question":"What is 2 + 2?","options":["3","4","5"],"answer":"4","explanation":"Count.","source":{"book":"p. 12"}}}
        """;

    [Theory]
    [InlineData("/api/dashboard/")]
    [InlineData("/api/dashboard/recent-questions/")]
    [InlineData("/api/dashboard/question/1/")]
    public async Task StaffRoutes_AnonymousAndStudents_AreRefused(string url)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClientAs(Roles.Student).GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Dashboard_Staff_GetsTheOriginalsCounts()
    {
        var counts = await (await app.CreateClientAs(Roles.Teacher).GetAsync("/api/dashboard/")).JsonAsync();

        Assert.Equal(
            ["total_groups", "total_subjects", "total_categories", "total_subcategories", "total_questions", "total_access_tokens", "total_users"],
            counts.EnumerateObject().Select(p => p.Name));
        Assert.True(counts.GetProperty("total_questions").GetInt32() >= 2000);
        Assert.True(counts.GetProperty("total_users").GetInt32() >= 3);
    }

    [Fact]
    public async Task RecentQuestions_NewestFirst_WithTheOriginalFields()
    {
        var page = await (await app.CreateClientAs(Roles.Teacher).GetAsync("/api/dashboard/recent-questions/?page_size=50")).JsonAsync();

        var results = page.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(
            ["id", "group", "subject", "category", "subcategory", "level", "type", "created_at", "metadata", "updated_at"],
            results[0].EnumerateObject().Select(p => p.Name));
        var times = results.Select(r => r.GetProperty("created_at").GetString()!).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
    }

    [Fact]
    public async Task RecentQuestions_Filters_LevelTypeAndHierarchy()
    {
        int subjectId;
        await using (var db = app.CreateDbContext())
        {
            subjectId = await db.Subjects.Where(s => s.Name == "Physics").Select(s => s.Id).SingleAsync();
        }

        var page = await (await app.CreateClientAs(Roles.Teacher)
            .GetAsync($"/api/dashboard/recent-questions/?level=easy&type=true_false&subject__id={subjectId}&page_size=100")).JsonAsync();

        Assert.True(page.GetProperty("count").GetInt32() > 0);
        Assert.All(page.GetProperty("results").EnumerateArray(), q =>
        {
            Assert.Equal("easy", q.GetProperty("level").GetString());
            Assert.Equal("true_false", q.GetProperty("type").GetString());
            Assert.Equal("Physics", q.GetProperty("subject").GetString());
            Assert.Contains(q.GetProperty("metadata").GetProperty("answer").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        });
    }

    [Fact]
    public async Task RecentQuestions_AllPages_FrontAndBackHalves_JoinWithoutGapsOrRepeats()
    {
        var teacher = app.CreateClientAs(Roles.Teacher);
        var first = await (await teacher.GetAsync("/api/dashboard/recent-questions/?page_size=7&level=easy")).JsonAsync();
        var count = first.GetProperty("count").GetInt32();
        var pages = (count + 6) / 7;

        var rows = new List<(string CreatedAt, int Id)>();
        for (var page = 1; page <= pages; page++)
        {
            var body = await (await teacher.GetAsync($"/api/dashboard/recent-questions/?page_size=7&level=easy&page={page}")).JsonAsync();
            rows.AddRange(body.GetProperty("results").EnumerateArray().Select(q => (q.GetProperty("created_at").GetString()!, q.GetProperty("id").GetInt32())));
        }

        Assert.Equal(count, rows.Count);
        Assert.Equal(count, rows.Select(r => r.Id).Distinct().Count());
        await using var db = app.CreateDbContext();
        var expected = await db.Questions.Where(q => q.Level == EduLoop.Domain.QuestionBank.QuestionLevel.Easy)
            .OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id).Select(q => q.Id).ToListAsync();
        Assert.Equal(expected, rows.Select(r => r.Id));
        var last = await (await teacher.GetAsync("/api/dashboard/recent-questions/?page_size=7&level=easy&page=last")).JsonAsync();
        Assert.Equal(expected.TakeLast(count - (pages - 1) * 7), last.GetProperty("results").EnumerateArray().Select(q => q.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task RecentQuestions_UnknownType_IsAnEmptyList_AsTheOriginalsTextFilterGave()
    {
        var response = await app.CreateClientAs(Roles.Teacher).GetAsync("/api/dashboard/recent-questions/?type=essay");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await response.JsonAsync()).GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("level=hard", "level")]
    [InlineData("category__id=x", "category__id")]
    public async Task RecentQuestions_BadFilter_Is400(string query, string field)
    {
        var response = await app.CreateClientAs(Roles.Teacher).GetAsync($"/api/dashboard/recent-questions/?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).TryGetProperty(field, out _));
    }

    [Fact]
    public async Task RecentQuestions_SearchAndOrdering_ByNames()
    {
        var teacher = app.CreateClientAs(Roles.Teacher);

        var search = await (await teacher.GetAsync("/api/dashboard/recent-questions/?search=circles&page_size=100")).JsonAsync();
        var ordered = await (await teacher.GetAsync("/api/dashboard/recent-questions/?ordering=subject__name&page_size=100")).JsonAsync();

        Assert.All(search.GetProperty("results").EnumerateArray(), q => Assert.Equal("Circles", q.GetProperty("category").GetString()));
        var subjects = ordered.GetProperty("results").EnumerateArray().Select(q => q.GetProperty("subject").GetString()!).ToList();
        Assert.Equal(subjects.Order(StringComparer.Ordinal), subjects);
    }

    [Fact]
    public async Task TheNulCharacter_InASearchOrAQuestion_IsNoServerError_OnEitherDatabase()
    {
        var teacher = app.CreateClientAs(Roles.Teacher);

        var search = await teacher.GetAsync("/api/dashboard/recent-questions/?search=%00two&ordering=-created_at");
        var recent = await teacher.GetAsync("/api/subjects/?search=a%00b");
        var created = await teacher.PostJsonAsync("/api/question/create/", NewMcq.Replace("What is 2 + 2?", "What is 2\\u0000 + 2?", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal(HttpStatusCode.OK, recent.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetInt32();
        var stored = (await (await teacher.GetAsync($"/api/dashboard/question/{id}/")).JsonAsync()).GetProperty("metadata").GetProperty("question").GetString();
        // SQLite keeps the character; PostgreSQL text cannot hold it and keeps U+FFFD in its place.
        Assert.Equal(TestDatabase.IsPostgres ? "What is 2\uFFFD + 2?" : "What is 2\0 + 2?", stored);
    }

    [Fact]
    public async Task CreateGetPatchPutDelete_RoundTripTheMetadata()
    {
        var teacher = app.CreateClientAs(Roles.Teacher);

        var created = await teacher.PostJsonAsync("/api/question/create/", NewMcq);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var question = await created.JsonAsync();
        var id = question.GetProperty("id").GetInt32();
        var metadata = question.GetProperty("metadata");
        Assert.Equal("4", metadata.GetProperty("answer").GetString());
        Assert.Equal(["3", "4", "5"], metadata.GetProperty("options").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal("Count.", metadata.GetProperty("explanation").GetString());
        Assert.Equal("p. 12", metadata.GetProperty("source").GetProperty("book").GetString());

        var fetched = await (await teacher.GetAsync($"/api/dashboard/question/{id}/")).JsonAsync();
        Assert.Equal(question.GetRawText(), fetched.GetRawText());

        var patched = await (await teacher.PatchAsync($"/api/dashboard/question/{id}/",
            new StringContent("""{"level":"advance","subcategory":null}""", System.Text.Encoding.UTF8, "application/json"))).JsonAsync();
        Assert.Equal("advance", patched.GetProperty("level").GetString());
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("subcategory").ValueKind);
        Assert.Equal("4", patched.GetProperty("metadata").GetProperty("answer").GetString());

        var putMissing = await teacher.PutAsync($"/api/dashboard/question/{id}/",
            new StringContent("""{"level":"easy"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, putMissing.StatusCode);

        var put = await teacher.PutAsync($"/api/dashboard/question/{id}/", new StringContent(NewMcq.Replace("\"4\"}", "\"5\"}"), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await teacher.DeleteAsync($"/api/dashboard/question/{id}/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.GetAsync($"/api/dashboard/question/{id}/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.DeleteAsync($"/api/dashboard/question/{id}/")).StatusCode);
    }

    [Theory]
    [InlineData("""{"group":"Nope","subject":"Algebra","category":"Linear equations","level":"easy","type":"mcq","metadata":{"question":"Q","options":["a","b"],"answer":"a"}}""", "group")]
    [InlineData("""{"group":"Mathematics","subject":"Physics","category":"Linear equations","level":"easy","type":"mcq","metadata":{"question":"Q","options":["a","b"],"answer":"a"}}""", "subject")]
    [InlineData("""{"group":"Mathematics","subject":"Algebra","category":"Linear equations","level":"hard","type":"mcq","metadata":{"question":"Q","options":["a","b"],"answer":"a"}}""", "level")]
    [InlineData("""{"group":"Mathematics","subject":"Algebra","category":"Linear equations","level":"easy","type":"poll","metadata":{"question":"Q"}}""", "type")]
    [InlineData("""{"group":"Mathematics","subject":"Algebra","category":"Linear equations","level":"easy","type":"mcq","metadata":{"question":"Q","options":["a","b"],"answer":"c"}}""", "metadata")]
    [InlineData("""{"group":"Mathematics","subject":"Algebra","category":"Linear equations","level":"easy","type":"math","metadata":{"question":"Q","answer":{"value":1}}}""", "metadata")]
    [InlineData("""{"group":"Mathematics","subject":"Algebra","category":"Linear equations","level":"easy","type":"mcq","metadata":"text"}""", "metadata")]
    [InlineData("""{"group":"Mathematics","subject":"Algebra","category":"Linear equations","level":"easy","type":"mcq"}""", "metadata")]
    public async Task Create_BadQuestion_Is400ForTheField_AndSavesNothing(string body, string field)
    {
        var before = await CountAsync();

        var response = await app.CreateClientAs(Roles.Teacher).PostJsonAsync("/api/question/create/", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Upload_AllValid_SavesThemAll()
    {
        var before = await CountAsync();
        var rows = string.Join(",", Enumerable.Range(1, 25).Select(i =>
            $$$"""{"group":"Natural Sciences","subject":"Physics","category":"Motion","level":"easy","type":"math","metadata":{"question":"{{{i}}} m in 1 s: speed?","answer":{{{i}}},"tolerance":0.5}}"""));

        var response = await app.CreateClientAs(Roles.Teacher).PostJsonAsync("/api/upload-questions/", $"[{rows}]");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"message":"Successfully uploaded 25 questions."}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(before + 25, await CountAsync());
    }

    [Fact]
    public async Task Upload_OneBadRow_SavesNothing_AndNamesTheRow()
    {
        var before = await CountAsync();
        const string good = """{"group":"Natural Sciences","subject":"Physics","category":"Motion","level":"easy","type":"true_false","metadata":{"question":"Light is fast.","answer":true}}""";
        const string bad = """{"group":"Natural Sciences","subject":"Physics","category":"Motion","level":"expert","type":"true_false","metadata":{"question":"?"}}""";

        var response = await app.CreateClientAs(Roles.Teacher).PostJsonAsync("/api/upload-questions/", $"[{good},{good},{bad}]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var failed = Assert.Single((await response.JsonAsync()).GetProperty("failed_items").EnumerateArray());
        Assert.Equal(4, failed.GetProperty("row").GetInt32());
        Assert.Equal(["level", "metadata"], failed.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(before, await CountAsync());
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("\"rows\"")]
    public async Task Upload_NotANonEmptyList_Is400(string body)
    {
        var response = await app.CreateClientAs(Roles.Teacher).PostJsonAsync("/api/upload-questions/", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<int> CountAsync()
    {
        await using var db = app.CreateDbContext();
        return await db.Questions.CountAsync();
    }

    [Fact]
    public async Task DeleteQuestion_UsedInAQuiz_Is400_AndTheQuestionStays()
    {
        int id;
        await using (var db = app.CreateDbContext())
        {
            id = await db.Questions.OrderByDescending(q => q.Id).Select(q => q.Id).Skip(3).FirstAsync();
            var quiz = new EduLoop.Domain.Quizzes.Quiz { Title = "Uses a question" };
            quiz.Slots.Add(new EduLoop.Domain.Quizzes.QuizSlot { Position = 1, QuestionId = id });
            db.Quizzes.Add(quiz);
            await db.SaveChangesAsync();
        }

        var response = await app.CreateClientAs(Roles.Teacher).DeleteAsync($"/api/dashboard/question/{id}/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("archive it instead", (await response.JsonAsync()).GetProperty("non_field_errors")[0].GetString(), StringComparison.Ordinal);
        await using var check = app.CreateDbContext();
        Assert.True(await check.Questions.AnyAsync(q => q.Id == id));
    }
}
