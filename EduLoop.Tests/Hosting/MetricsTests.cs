using System.Net;
using System.Text;
using System.Text.RegularExpressions;

using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Hosting;

/// <summary><c>/metrics</c>: what it publishes after real requests, and who may read it.</summary>
public sealed partial class MetricsTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    [Fact]
    public async Task AnAdmin_ReadsRequestsByRouteAnswerSavesAndCacheReadsByKind()
    {
        var student = app.CreateClientAs(Roles.Student);
        var attempt = await (await student.PostAsync($"/api/quizzes/{await QuizAsync()}/attempt/", null)).JsonAsync();
        var option = attempt.GetProperty("questions")[0].GetProperty("options")[0].GetString();
        var saved = await student.PutAsync($"/api/attempts/{attempt.GetProperty("id").GetInt32()}/answers/1/",
            new StringContent($$"""{"response": "{{option}}", "sequence": 1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var teacher = app.CreateClientAs(Roles.Teacher);
        await teacher.GetAsync("/api/groups/?page_size=5");
        await teacher.GetAsync("/api/groups/?page_size=5");

        // The exporter keeps a scrape for a moment; a fresh one follows.
        await Task.Delay(400);
        var metrics = await app.CreateClientAs(Roles.Admin).GetAsync("/metrics");
        var text = await metrics.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType?.MediaType);
        // At least this app's two: meters are read by name, so other apps of this test process add theirs.
        Assert.True(RouteCount().Matches(text).Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture)) >= 2, text);
        Assert.True(Value(text, "eduloop_answers_saved_total") >= 1, text);
        Assert.True(Value(text, "eduloop_answers_commit_duration_seconds_count") >= 1, text);
        Assert.Matches(@"eduloop_cache_requests_total\{[^}]*kind=""taxonomy""", text);
        Assert.Matches(@"eduloop_cache_misses_total\{[^}]*kind=""taxonomy""", text);
        Assert.Contains("eduloop_attempts_overdue", text);
        Assert.Contains("eduloop_circuits_open", text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(Roles.Student)]
    [InlineData(Roles.Teacher)]
    public async Task AnyoneButAnAdmin_FromAnywhere_IsRefused(string? role)
    {
        var client = role is null ? app.CreateClient() : app.CreateClientAs(role);
        client.DefaultRequestHeaders.Add(ClientAddress.Header, "203.0.113.9");

        var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("eduloop_", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AMonitorInAnAllowedNetwork_ReadsThem_AndOneOutsideItIsRefused()
    {
        await using var monitored = new KestrelAppFactory(new Dictionary<string, string> { ["EduLoop:Metrics:AllowedNetworks:0"] = "10.0.0.0/8", ["EduLoop:Metrics:AllowedNetworks:1"] = "192.0.2.7" });
        using var client = monitored.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await GetFromAsync(client, "10.20.30.40")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetFromAsync(client, "192.0.2.7")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetFromAsync(client, "192.0.2.8")).StatusCode);
    }

    [Fact]
    public void ANetworkThatIsNoNetwork_StopsTheStart_SayingWhatToFix()
    {
        var error = Assert.ThrowsAny<Exception>(() => new KestrelAppFactory(new Dictionary<string, string> { ["EduLoop:Metrics:AllowedNetworks:0"] = "the office" }));

        Assert.Contains("EduLoop:Metrics:AllowedNetworks", error.ToString());
    }

    private static async Task<HttpResponseMessage> GetFromAsync(HttpClient client, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add(ClientAddress.Header, address);
        return await client.SendAsync(request);
    }

    private static double Value(string text, string name) =>
        Regex.Matches(text, $@"^{name}(?:\{{[^}}]*\}})? (?<value>[0-9.e+-]+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^http_server_request_duration_seconds_count\{(?=[^}]*http_route=""/api/groups/"")(?=[^}]*http_response_status_code=""200"")[^}]*\} (?<value>[0-9.e+]+)$", RegexOptions.Multiline)]
    private static partial Regex RouteCount();

    /// <summary>A quiz of one multiple-choice question for a class the demo student is in.</summary>
    private async Task<int> QuizAsync()
    {
        await using var db = app.CreateDbContext();
        var student = await db.Users.Where(u => u.Email == TestAccounts.StudentEmail).Select(u => u.Id).SingleAsync();
        var schoolClass = new SchoolClass { Name = $"Class {Guid.NewGuid():N}"[..14] };
        db.SchoolClasses.Add(schoolClass);
        await db.SaveChangesAsync();
        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = student, JoinedAt = DateTime.UtcNow });
        var quiz = new Quiz { Title = "Measured quiz", AttemptsAllowed = 0, Review = ReviewTime.Immediately, ShuffleChoices = false };
        quiz.Slots.Add(new QuizSlot { Position = 1, QuestionId = await db.Questions.Where(q => q.Type == QuestionType.Mcq).OrderBy(q => q.Id).Select(q => q.Id).FirstAsync() });
        db.Quizzes.Add(quiz);
        await db.SaveChangesAsync();
        db.QuizAssignments.Add(new QuizAssignment { QuizId = quiz.Id, SchoolClassId = schoolClass.Id });
        await db.SaveChangesAsync();
        return quiz.Id;
    }
}
