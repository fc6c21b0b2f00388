using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EduLoop.Domain.Identity;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Api;

public sealed class ImportApiTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..24];

    private static StringContent Raw(string text) => new(text, Encoding.UTF8, "text/plain");

    [Theory]
    [InlineData("/api/import/preview/?format=gift")]
    [InlineData("/api/import/commit/?format=gift")]
    public async Task ImportRoutes_AnonymousAndStudents_AreRefused(string url)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsync(url, Raw("Q?{T}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClientAs(Roles.Student).PostAsync(url, Raw("Q?{T}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.CreateClientAs(Roles.Student).GetAsync("/api/export/?format=gift")).StatusCode);
    }

    [Fact]
    public async Task Preview_ReturnsEveryQuestionInTheDocumentedShape_AndErrorsByLine()
    {
        var group = Unique("Preview");
        var gift = $$"""
            $CATEGORY: {{group}}/Physics/Motion

            ::Speed::A car covers 100 m in 5 s. Its speed in m/s? {#=20:0.5#Right. =%50%18:3}

            Which are prime? {~%50%2 ~%50%3 ~%-100%4#No, 4 is 2 × 2.}

            Broken {=a ~b

            Match {=cat -> animal =rose -> plant}
            """;

        var response = await app.CreateClientAs(Roles.Teacher).PostAsync("/api/import/preview/?format=gift&level=easy", Raw(gift));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var questions = body.GetProperty("questions").EnumerateArray().ToList();
        Assert.Equal(3, questions.Count);
        var math = questions[0];
        Assert.Equal(["type", "title", "text", "level", "category_path", "tags", "answers", "line"], math.EnumerateObject().Select(p => p.Name));
        Assert.Equal("math", math.GetProperty("type").GetString());
        Assert.Equal("easy", math.GetProperty("level").GetString());
        Assert.Equal($"{group}/Physics/Motion", math.GetProperty("category_path").GetString());
        var answers = math.GetProperty("answers").EnumerateArray().ToList();
        Assert.Equal((20, 0.5, 1m, "Right."), (answers[0].GetProperty("value").GetDouble(), answers[0].GetProperty("tolerance").GetDouble(),
            answers[0].GetProperty("fraction").GetDecimal(), answers[0].GetProperty("feedback").GetString()));
        Assert.Equal(0.5m, answers[1].GetProperty("fraction").GetDecimal());
        var multi = questions[1];
        Assert.Equal("mcq_multi", multi.GetProperty("type").GetString());
        Assert.Equal([0.5m, 0.5m, -1m], multi.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("fraction").GetDecimal()));
        Assert.Equal(["left", "right"], questions[2].GetProperty("pairs")[0].EnumerateObject().Select(p => p.Name));
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(["line", "column", "message"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal(7, error.GetProperty("line").GetInt32());
        Assert.Equal([$"{group}/Physics/Motion"], body.GetProperty("new_categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Commit_Multipart_TakesTheFormatFromTheFileName_AndImports()
    {
        var group = Unique("Multipart");
        var csv = $"type,level,group,subject,category,text,options,answer\r\nmcq,advance,{group},S,C,Pick one,a|b|c,B\r\ntrue_false,easy,{group},S,C,Sky is blue,,true\r\n";
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "questions.csv");

        var response = await app.CreateClientAs(Roles.Teacher).PostAsync("/api/import/commit/", form);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal((2, 0, 1), (body.GetProperty("imported").GetInt32(), body.GetProperty("skipped_duplicates").GetInt32(), body.GetProperty("created_nodes").GetInt32()));
        await using var db = app.CreateDbContext();
        Assert.Equal(2, await db.Questions.CountAsync(q => q.Category!.Group!.Name == group));
    }

    [Fact]
    public async Task Commit_WithAnError_Is400_WithTheErrors_AndSavesNothing()
    {
        var group = Unique("Refused");
        var client = app.CreateClientAs(Roles.Teacher);

        var response = await client.PostAsync($"/api/import/commit/?format=aiken&target={Uri.EscapeDataString(group + "/S/C")}",
            Raw("Good?\nA. yes\nB. no\nANSWER: A\n\nBad?\nA. yes\nANSWER: C\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(6, Assert.Single(body.GetProperty("errors").EnumerateArray()).GetProperty("line").GetInt32());
        await using var db = app.CreateDbContext();
        Assert.False(await db.Groups.AnyAsync(g => g.Name == group));
    }

    [Theory]
    [InlineData("/api/import/preview/", "format")]
    [InlineData("/api/import/preview/?format=docx", "format")]
    [InlineData("/api/import/preview/?format=gift&target=onlyone", "target")]
    [InlineData("/api/import/preview/?format=gift&level=hardest", "level")]
    [InlineData("/api/import/preview/?format=gift&duplicates=merge", "duplicates")]
    [InlineData("/api/import/commit/?format=gift&ignore_file_places=true", "target")]
    public async Task BadOptions_Are400_NamingTheField(string url, string field)
    {
        var response = await app.CreateClientAs(Roles.Teacher).PostAsync(url, Raw("Q?{T}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Export_EveryFormat_IsADownload_ThatImportsBackAsDuplicates()
    {
        var client = app.CreateClientAs(Roles.Teacher);
        int subjectId;
        await using (var db = app.CreateDbContext())
        {
            subjectId = await db.Subjects.Where(s => s.Name == "Physics").Select(s => s.Id).SingleAsync();
        }

        foreach (var format in new[] { "gift", "moodlexml", "csv", "json", "aiken" })
        {
            var export = await client.GetAsync($"/api/export/?format={format}&subject__id={subjectId}");
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
            var file = await export.Content.ReadAsByteArrayAsync();

            var preview = await (await client.PostAsync($"/api/import/preview/?format={format}&target=X/Y/Z", new ByteArrayContent(file))).JsonAsync();

            Assert.Empty(preview.GetProperty("errors").EnumerateArray());
            var questions = preview.GetProperty("questions").EnumerateArray().ToList();
            Assert.NotEmpty(questions);
            Assert.All(questions, q => Assert.Equal("in_bank", q.GetProperty("duplicate").GetString()));
        }
    }

    [Fact]
    public async Task Export_BadFilter_Is400()
    {
        var client = app.CreateClientAs(Roles.Teacher);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/export/?format=pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/export/?format=csv&subject__id=x")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/export/?format=csv&level=impossible")).StatusCode);
    }

    [Fact]
    public async Task ImportRoutes_AreInTheOpenApiDocument()
    {
        var document = await (await app.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = document.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/import/preview/", out var preview));
        Assert.True(paths.TryGetProperty("/api/import/commit/", out _));
        Assert.True(paths.TryGetProperty("/api/export/", out _));
        Assert.Contains("format=gift|aiken|moodlexml|csv|json", preview.GetProperty("post").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MediaEndpoint_ServesOnlyStoredImages_WithoutSniffing()
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        var url = await app.GetService<EduLoop.Domain.Media.MediaStore>().SaveAsync(png);
        var client = app.CreateClient();

        var image = await client.GetAsync(url);
        var traversal = await client.GetAsync("/media/..%2F..%2Feduloop.db");
        var unknown = await client.GetAsync("/media/" + new string('a', 32) + ".png");

        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", image.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Upload_OverTheLimit_Is413_WithAClearMessage()
    {
        using var limited = app.WithWebHostBuilder(b => b.UseSetting("EduLoop:MaxImportBytes", "1024"));
        var client = limited.CreateClient();
        client.DefaultRequestHeaders.Add(TestAuthHandler.RoleHeader, Roles.Teacher);

        var response = await client.PostAsync("/api/import/preview/?format=gift", Raw(new string('x', 4096)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageBodies_NeverFail_With500()
    {
        var client = app.CreateClientAs(Roles.Teacher);
        var random = new Random(6);
        foreach (var format in new[] { "gift", "aiken", "moodlexml", "csv", "json" })
        {
            for (var i = 0; i < 20; i++)
            {
                var bytes = new byte[random.Next(0, 4096)];
                random.NextBytes(bytes);
                var response = await client.PostAsync($"/api/import/preview/?format={format}&target=G/S/C", new ByteArrayContent(bytes));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.NotEmpty((await response.JsonAsync()).GetProperty("errors").EnumerateArray());
            }
        }
    }
}
