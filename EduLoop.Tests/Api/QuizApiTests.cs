using System.Net;
using System.Text.Json;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Api;

public sealed class QuizApiTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    /// <summary>A quiz with a single-choice and a true/false question, given to a class the demo student is in.</summary>
    private async Task<int> QuizAsync(Action<Quiz>? change = null)
    {
        await using var db = app.CreateDbContext();
        var student = await db.Users.Where(u => u.Email == TestAccounts.StudentEmail).Select(u => u.Id).SingleAsync();
        var schoolClass = new SchoolClass { Name = $"Class {Guid.NewGuid():N}"[..14] };
        db.SchoolClasses.Add(schoolClass);
        await db.SaveChangesAsync();
        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = student, JoinedAt = DateTime.UtcNow });
        var mcq = await db.Questions.Where(q => q.Type == QuestionType.Mcq).OrderBy(q => q.Id).Select(q => q.Id).FirstAsync();
        var tf = await db.Questions.Where(q => q.Type == QuestionType.TrueFalse).OrderBy(q => q.Id).Select(q => q.Id).FirstAsync();
        var quiz = new Quiz { Title = "API quiz", AttemptsAllowed = 0, Review = ReviewTime.Immediately, ShuffleChoices = false };
        quiz.Slots.Add(new QuizSlot { Position = 1, QuestionId = mcq });
        quiz.Slots.Add(new QuizSlot { Position = 2, QuestionId = tf });
        change?.Invoke(quiz);
        db.Quizzes.Add(quiz);
        await db.SaveChangesAsync();
        db.QuizAssignments.Add(new QuizAssignment { QuizId = quiz.Id, SchoolClassId = schoolClass.Id });
        await db.SaveChangesAsync();
        return quiz.Id;
    }

    [Fact]
    public async Task AStudent_ListsStartsSavesAndSubmits_AndNeverReceivesTheAnswers()
    {
        var quiz = await QuizAsync();
        var client = app.CreateClientAs(Roles.Student);

        var list = await (await client.GetAsync("/api/quizzes/")).JsonAsync();
        Assert.Contains(list.EnumerateArray(), q => q.GetProperty("id").GetInt32() == quiz);

        var started = await client.PostAsync($"/api/quizzes/{quiz}/attempt/", null);
        var text = await started.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.DoesNotContain("fraction", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("feedback", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("true_false_answer", text, StringComparison.OrdinalIgnoreCase);
        var attempt = await started.JsonAsync();
        var id = attempt.GetProperty("id").GetInt32();
        Assert.Equal(id, (await (await client.PostAsync($"/api/quizzes/{quiz}/attempt/", null)).JsonAsync()).GetProperty("id").GetInt32());

        var first = attempt.GetProperty("questions")[0];
        var option = first.GetProperty("options")[0].GetString();
        var saved = await client.PutAsync($"/api/attempts/{id}/answers/1/", Json($$"""{"response": "{{option}}", "sequence": 2}"""));
        var stale = await client.PutAsync($"/api/attempts/{id}/answers/1/", Json("""{"response": "x", "sequence": 1}"""));
        var submitted = await (await client.PostAsync($"/api/attempts/{id}/submit/", null)).JsonAsync();
        var late = await client.PutAsync($"/api/attempts/{id}/answers/2/", Json("""{"response": true, "sequence": 3}"""));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(2, (await stale.JsonAsync()).GetProperty("current_sequence").GetInt64());
        Assert.Equal("graded", submitted.GetProperty("state").GetString());
        Assert.Equal(2m, submitted.GetProperty("max_score").GetDecimal());
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
    }

    [Fact]
    public async Task Statistics_AfterAStudentsAttempt_AreStaffsInMoodlesTerms()
    {
        var quiz = await QuizAsync();
        var student = app.CreateClientAs(Roles.Student);
        var attempt = await (await student.PostAsync($"/api/quizzes/{quiz}/attempt/", null)).JsonAsync();
        var id = attempt.GetProperty("id").GetInt32();
        var option = attempt.GetProperty("questions")[0].GetProperty("options")[1].GetString();
        await student.PutAsync($"/api/attempts/{id}/answers/1/", Json($$"""{"response": "{{option}}", "sequence": 1}"""));
        await student.PostAsync($"/api/attempts/{id}/submit/", null);

        var answer = await app.CreateClientAs(Roles.Teacher).GetAsync($"/api/quizzes/{quiz}/statistics/");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var statistics = await answer.JsonAsync();
        var figures = statistics.GetProperty("quiz");
        Assert.Equal(1, figures.GetProperty("attempts").GetInt32());
        Assert.Equal(
            ["attempts", "mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error"],
            figures.EnumerateObject().Select(p => p.Name));
        // One attempt: a mean, and no spread to compute the rest from.
        Assert.Equal(JsonValueKind.Number, figures.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, figures.GetProperty("sd").ValueKind);
        var slots = statistics.GetProperty("slots");
        Assert.Equal(2, slots.GetArrayLength());
        var first = slots[0];
        Assert.Equal(
            ["slot", "question_id", "s", "facility", "sd", "random_guess_score", "intended_weight", "effective_weight", "discrimination_index",
                "discriminative_efficiency", "choices"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, first.GetProperty("slot").GetInt32());
        Assert.Equal(1, first.GetProperty("s").GetInt32());
        Assert.Equal(50.0, first.GetProperty("intended_weight").GetDouble(), 9);
        Assert.Contains(first.GetProperty("choices").EnumerateArray(), c => c.GetProperty("text").GetString() == option && c.GetProperty("count").GetInt32() == 1);
        Assert.Equal(0.5, slots[1].GetProperty("random_guess_score").GetDouble());
        Assert.Equal(["True", "False"], slots[1].GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("text").GetString()));
    }

    [Theory]
    [InlineData(Roles.Student, HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task Statistics_AreNotForStudentsOrStrangers(string? role, HttpStatusCode expected)
    {
        var quiz = await QuizAsync();
        var client = role is null ? app.CreateClient() : app.CreateClientAs(role);

        Assert.Equal(expected, (await client.GetAsync($"/api/quizzes/{quiz}/statistics/")).StatusCode);
    }

    [Theory]
    [InlineData("404404")]
    [InlineData("abc")]
    [InlineData("-1")]
    public async Task Statistics_OfNoQuiz_AreNotFound(string id) =>
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClientAs(Roles.Teacher).GetAsync($"/api/quizzes/{id}/statistics/")).StatusCode);

    [Fact]
    public async Task AOneWayQuiz_RefusesAnEarlierQuestion_OnceALaterOneIsAnswered()
    {
        var quiz = await QuizAsync(q => (q.OneQuestionPerPage, q.SequentialNavigation) = (true, true));
        var client = app.CreateClientAs(Roles.Student);
        var id = (await (await client.PostAsync($"/api/quizzes/{quiz}/attempt/", null)).JsonAsync()).GetProperty("id").GetInt32();

        var later = await client.PutAsync($"/api/attempts/{id}/answers/2/", Json("""{"response": true, "sequence": 1}"""));
        var earlier = await client.PutAsync($"/api/attempts/{id}/answers/1/", Json("""{"response": "x", "sequence": 1}"""));

        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, earlier.StatusCode);
        Assert.Contains("one way", (await earlier.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheScore_StaysHidden_WhenTheReviewPolicySaysNever()
    {
        var quiz = await QuizAsync(q => q.Review = ReviewTime.Never);
        var client = app.CreateClientAs(Roles.Student);
        var id = (await (await client.PostAsync($"/api/quizzes/{quiz}/attempt/", null)).JsonAsync()).GetProperty("id").GetInt32();

        var submitted = await (await client.PostAsync($"/api/attempts/{id}/submit/", null)).JsonAsync();

        Assert.Equal(System.Text.Json.JsonValueKind.Null, submitted.GetProperty("score").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, submitted.GetProperty("max_score").ValueKind);
    }

    [Fact]
    public async Task AnotherStudentsAttempt_Is404_WithNothingInTheBody()
    {
        var quiz = await QuizAsync();
        int foreign;
        await using (var db = app.CreateDbContext())
        {
            var other = new ApplicationUser { UserName = $"{Guid.NewGuid():N}@school.test", Email = "other@school.test", DisplayName = "Other" };
            db.Users.Add(other);
            await db.SaveChangesAsync();
            var attempt = new Attempt { QuizId = quiz, StudentId = other.Id, Number = 1, StartedAt = DateTime.UtcNow, MaxScore = 1 };
            attempt.Questions.Add(new AttemptQuestion { Position = 1, QuestionId = 1, Type = QuestionType.TrueFalse, Stem = "Secret stem", Body = new() { TrueFalseAnswer = true }, Points = 1 });
            db.Attempts.Add(attempt);
            await db.SaveChangesAsync();
            foreign = attempt.Id;
        }

        var client = app.CreateClientAs(Roles.Student);
        var save = await client.PutAsync($"/api/attempts/{foreign}/answers/1/", Json("""{"response": true, "sequence": 1}"""));
        var submit = await client.PostAsync($"/api/attempts/{foreign}/submit/", null);
        var review = await client.GetAsync($"/api/attempts/{foreign}/");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (save.StatusCode, submit.StatusCode, review.StatusCode));
        Assert.Equal("{\"detail\":\"Not found.\"}", await submit.Content.ReadAsStringAsync());
        Assert.Equal("{\"detail\":\"Not found.\"}", await review.Content.ReadAsStringAsync());
        await using var check = app.CreateDbContext();
        Assert.Equal(AttemptState.InProgress, (await check.Attempts.SingleAsync(a => a.Id == foreign)).State);
    }

    [Fact]
    public async Task TheReview_FollowsThePolicy_AndTheAttemptListHidesScoresItHides()
    {
        var open = await QuizAsync(q => (q.ReviewShowsCorrectAnswers, q.ReviewShowsFeedback) = (true, true));
        var never = await QuizAsync(q => q.Review = ReviewTime.Never);
        var client = app.CreateClientAs(Roles.Student);

        async Task<int> TakeAsync(int quiz)
        {
            var attempt = await (await client.PostAsync($"/api/quizzes/{quiz}/attempt/", null)).JsonAsync();
            var id = attempt.GetProperty("id").GetInt32();
            var option = attempt.GetProperty("questions")[0].GetProperty("options")[1].GetString();
            await client.PutAsync($"/api/attempts/{id}/answers/1/", Json($$"""{"response": "{{option}}", "sequence": 1}"""));
            Assert.Contains("\"review_open\":false", await client.GetStringAsync($"/api/attempts/{id}/"));
            await client.PostAsync($"/api/attempts/{id}/submit/", null);
            return id;
        }

        var shown = await (await client.GetAsync($"/api/attempts/{await TakeAsync(open)}/")).JsonAsync();
        var hidden = await client.GetStringAsync($"/api/attempts/{await TakeAsync(never)}/");
        var list = await (await client.GetAsync($"/api/quizzes/{never}/attempts/")).JsonAsync();

        Assert.True(shown.GetProperty("review_open").GetBoolean());
        var first = shown.GetProperty("questions")[0];
        Assert.Equal(1, first.GetProperty("correct_answers").GetArrayLength());
        Assert.True(first.TryGetProperty("outcome", out _));
        Assert.Equal(2m, shown.GetProperty("max_score").GetDecimal());
        Assert.Contains("\"review_open\":false", hidden);
        Assert.Contains("\"questions\":[]", hidden);
        Assert.DoesNotContain("score", hidden, StringComparison.Ordinal);
        Assert.DoesNotContain("correct_answers", hidden, StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, list[0].GetProperty("score").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/attempts/not-a-number/")).StatusCode);
    }

    [Fact]
    public async Task Staff_ReviewAnyAttempt_WithTheKey()
    {
        var quiz = await QuizAsync(q => q.Review = ReviewTime.Never);
        var student = app.CreateClientAs(Roles.Student);
        var id = (await (await student.PostAsync($"/api/quizzes/{quiz}/attempt/", null)).JsonAsync()).GetProperty("id").GetInt32();
        await student.PostAsync($"/api/attempts/{id}/submit/", null);

        var review = await (await app.CreateClientAs(Roles.Teacher).GetAsync($"/api/attempts/{id}/")).JsonAsync();

        Assert.True(review.GetProperty("review_open").GetBoolean());
        Assert.Equal(1, review.GetProperty("questions")[1].GetProperty("correct_answers").GetArrayLength());
    }

    [Fact]
    public async Task TheResultsCsv_IsForStaff_AndStartsWithTheByteOrderMark()
    {
        var quiz = await QuizAsync();
        var student = app.CreateClientAs(Roles.Student);
        var id = (await (await student.PostAsync($"/api/quizzes/{quiz}/attempt/", null)).JsonAsync()).GetProperty("id").GetInt32();
        await student.PostAsync($"/api/attempts/{id}/submit/", null);

        var csv = await app.CreateClientAs(Roles.Teacher).GetAsync($"/quizzes/{quiz}/results.csv");
        var refused = await student.GetAsync($"/quizzes/{quiz}/results.csv");
        var missing = await app.CreateClientAs(Roles.Teacher).GetAsync("/quizzes/999999/results.csv");

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.StartsWith("Student,Email,Attempt,State", System.Text.Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"response\": 1}")]
    [InlineData("{\"response\": 1, \"sequence\": 0}")]
    [InlineData("{\"response\": 1, \"sequence\": \"2\"}")]
    [InlineData("[1, 2]")]
    public async Task BadAnswerBodies_Are400(string body)
    {
        var quiz = await QuizAsync();
        var client = app.CreateClientAs(Roles.Student);
        var id = (await (await client.PostAsync($"/api/quizzes/{quiz}/attempt/", null)).JsonAsync()).GetProperty("id").GetInt32();

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync($"/api/attempts/{id}/answers/1/", Json(body))).StatusCode);
    }

    [Fact]
    public async Task Anonymous_Is401_AndAQuizNotGiven_Is404()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/quizzes/")).StatusCode);
        await using var db = app.CreateDbContext();
        var notGiven = new Quiz { Title = "Not yours" };
        db.Quizzes.Add(notGiven);
        await db.SaveChangesAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClientAs(Roles.Student).PostAsync($"/api/quizzes/{notGiven.Id}/attempt/", null)).StatusCode);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
