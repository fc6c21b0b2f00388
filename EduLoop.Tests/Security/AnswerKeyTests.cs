using System.Net;
using System.Text.Json;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Security;

/// <summary>
/// The attack: a student starts a quiz, finds its questions through practice, reads each key through
/// the answer check and scores full marks. Every route to a key of an open quiz is tried here.
/// </summary>
public sealed class AnswerKeyTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    private sealed record QuizSetup(int QuizId, int ClassId, string AccessKey, int FixedQuestion, int PoolSubCategory, IReadOnlyList<int> PoolQuestions, int Group, int Subject);

    /// <summary>
    /// A quiz for a new class with the demo student in it: one fixed single-choice question and a draw
    /// of two from a whole subcategory, open for another hour.
    /// </summary>
    private async Task<QuizSetup> QuizAsync(Action<Quiz>? change = null)
    {
        await using var db = app.CreateDbContext();
        var student = await db.Users.Where(u => u.Email == TestAccounts.StudentEmail).Select(u => u.Id).SingleAsync();
        var schoolClass = new SchoolClass { Name = $"Class {Guid.NewGuid():N}"[..14] };
        db.SchoolClasses.Add(schoolClass);
        await db.SaveChangesAsync();
        var key = new AccessKey { Key = Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture), SchoolClassId = schoolClass.Id, CreatedAt = DateTime.UtcNow };
        db.AccessKeys.Add(key);
        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = student, JoinedAt = DateTime.UtcNow });
        // A pool and a question that no other quiz of these tests holds, so that each test sees only its own quiz.
        var usedPools = await db.QuizSlots.Where(s => s.DrawSubCategoryId != null).Select(s => s.DrawSubCategoryId!.Value).ToListAsync();
        var usedQuestions = await db.QuizSlots.Where(s => s.QuestionId != null).Select(s => s.QuestionId!.Value).ToListAsync();
        var pool = await db.SubCategories
            .Where(s => !usedPools.Contains(s.Id) && db.Questions.Count(q => q.SubCategoryId == s.Id && q.Type == QuestionType.Mcq) >= 2
                && !db.Questions.Any(q => q.SubCategoryId == s.Id && usedQuestions.Contains(q.Id)))
            .OrderBy(s => s.Id).FirstAsync();
        var poolQuestions = await db.Questions.Where(q => q.SubCategoryId == pool.Id).Select(q => q.Id).ToListAsync();
        var fixedQuestion = await db.Questions
            .Where(q => q.Type == QuestionType.Mcq && q.SubCategoryId != pool.Id && !usedQuestions.Contains(q.Id)
                && (q.SubCategoryId == null || !usedPools.Contains(q.SubCategoryId.Value)))
            .OrderBy(q => q.Id).Select(q => q.Id).FirstAsync();
        var quiz = new Quiz { Title = "Held", ClosesAt = DateTime.UtcNow.AddHours(1), Review = ReviewTime.Immediately };
        quiz.Slots.Add(new QuizSlot { Position = 1, QuestionId = fixedQuestion });
        quiz.Slots.Add(new QuizSlot { Position = 2, DrawCount = 2, DrawSubCategoryId = pool.Id });
        change?.Invoke(quiz);
        db.Quizzes.Add(quiz);
        await db.SaveChangesAsync();
        db.QuizAssignments.Add(new QuizAssignment { QuizId = quiz.Id, SchoolClassId = schoolClass.Id });
        await db.SaveChangesAsync();
        return new QuizSetup(quiz.Id, schoolClass.Id, key.Key, fixedQuestion, pool.Id, poolQuestions, pool.GroupId, pool.SubjectId);
    }

    private static string Check(int questionId) => JsonSerializer.Serialize(new { question_id = questionId, response = "anything" });

    private async Task SetQuizAsync(int quizId, Action<Quiz> change)
    {
        await using var db = app.CreateDbContext();
        var quiz = await db.Quizzes.SingleAsync(q => q.Id == quizId);
        change(quiz);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task AnswerCheck_Anonymous_Is401_WithoutTheKey()
    {
        var setup = await QuizAsync();

        var response = await app.CreateClient().PostJsonAsync("/api/questions/answer/", Check(setup.FixedQuestion));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("AccessKey", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("answer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PracticeStart_Anonymous_Is401()
    {
        var setup = await QuizAsync();

        var response = await app.CreateClient().PostJsonAsync("/api/questions/", $$"""{"group_id":{{setup.Group}},"subject_id":{{setup.Subject}}}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out _));
    }

    [Fact]
    public async Task AnswerCheck_AQuestionAnOpenQuizHolds_IsRefusedToItsStudents_FixedAndDrawn()
    {
        var setup = await QuizAsync();
        var student = app.CreateClientAs(Roles.Student);
        var viaKey = app.CreateClient().WithAuthorization("AccessKey", setup.AccessKey);

        foreach (var question in setup.PoolQuestions.Prepend(setup.FixedQuestion))
        {
            foreach (var client in new[] { student, viaKey })
            {
                var response = await client.PostJsonAsync("/api/questions/answer/", Check(question));
                var text = await response.Content.ReadAsStringAsync();
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Contains("quiz", text, StringComparison.Ordinal);
                Assert.DoesNotContain("\"answer\"", text, StringComparison.Ordinal);
            }
        }

        // Staff check anything; a question no quiz holds stays open to the student.
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClientAs(Roles.Teacher).PostJsonAsync("/api/questions/answer/", Check(setup.FixedQuestion))).StatusCode);
        var free = await FreeQuestionAsync();
        Assert.Equal(HttpStatusCode.OK, (await student.PostJsonAsync("/api/questions/answer/", Check(free))).StatusCode);
    }

    [Fact]
    public async Task Practice_NeverServesAHeldQuestion_ToTheQuizsStudents()
    {
        var setup = await QuizAsync();
        var student = app.CreateClientAs(Roles.Student);

        var shown = await PractiseAllAsync(student, setup, $"\"subcategory_ids\":[{setup.PoolSubCategory}]");
        Assert.Empty(shown);

        // The same pool through the whole subject: everything else, none of the held ones.
        var subject = await PractiseAllAsync(student, setup, "\"levels\":[]");
        Assert.NotEmpty(subject);
        Assert.DoesNotContain(setup.FixedQuestion, subject);
        Assert.Empty(subject.Intersect(setup.PoolQuestions));

        // A teacher practising the same subcategory gets all of it.
        Assert.Equal(setup.PoolQuestions.Count, (await PractiseAllAsync(app.CreateClientAs(Roles.Teacher), setup, $"\"subcategory_ids\":[{setup.PoolSubCategory}]")).Count);
    }

    [Fact]
    public async Task HeldQuestions_ReturnWhenTheQuizCloses_OrWhenTheTeacherReleasesThem()
    {
        var closing = await QuizAsync();
        var student = app.CreateClientAs(Roles.Student);
        Assert.Equal(HttpStatusCode.Forbidden, (await student.PostJsonAsync("/api/questions/answer/", Check(closing.FixedQuestion))).StatusCode);

        await SetQuizAsync(closing.QuizId, q => q.ClosesAt = DateTime.UtcNow.AddSeconds(-1));
        Assert.Equal(HttpStatusCode.OK, (await student.PostJsonAsync("/api/questions/answer/", Check(closing.FixedQuestion))).StatusCode);
        Assert.Equal(closing.PoolQuestions.Count, (await PractiseAllAsync(student, closing, $"\"subcategory_ids\":[{closing.PoolSubCategory}]")).Count);

        var released = await QuizAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await student.PostJsonAsync("/api/questions/answer/", Check(released.FixedQuestion))).StatusCode);
        await app.GetService<QuizService>().ReleaseQuestionsAsync(released.QuizId, release: true, EduLoop.Domain.Actor.Admin("admin"));
        Assert.Equal(HttpStatusCode.OK, (await student.PostJsonAsync("/api/questions/answer/", Check(released.FixedQuestion))).StatusCode);
        await app.GetService<QuizService>().ReleaseQuestionsAsync(released.QuizId, release: false, EduLoop.Domain.Actor.Admin("admin"));
        Assert.Equal(HttpStatusCode.Forbidden, (await student.PostJsonAsync("/api/questions/answer/", Check(released.FixedQuestion))).StatusCode);
    }

    [Fact]
    public async Task AnUpcomingQuiz_HoldsItsQuestionsToo()
    {
        var setup = await QuizAsync(q => (q.OpensAt, q.ClosesAt) = (DateTime.UtcNow.AddDays(1), DateTime.UtcNow.AddDays(2)));

        var response = await app.CreateClientAs(Roles.Student).PostJsonAsync("/api/questions/answer/", Check(setup.FixedQuestion));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task WhileAnAttemptIsInProgress_PracticeAndTheAnswerCheck_Are409_UntilItIsSubmitted()
    {
        var setup = await QuizAsync();
        var student = app.CreateClientAs(Roles.Student);
        Assert.Equal(HttpStatusCode.OK, (await student.PostJsonAsync("/api/questions/answer/", Check(await FreeQuestionAsync()))).StatusCode);

        var session = (await (await student.PostJsonAsync("/api/questions/", $$"""{"group_id":{{setup.Group}},"subject_id":{{setup.Subject}}}""")).JsonAsync())
            .GetProperty("session_id").GetString();
        var attempt = (await (await student.PostAsync($"/api/quizzes/{setup.QuizId}/attempt/", null)).JsonAsync()).GetProperty("id").GetInt32();

        var check = await student.PostJsonAsync("/api/questions/answer/", Check(setup.FixedQuestion + 1));
        var start = await student.PostJsonAsync("/api/questions/", $$"""{"group_id":{{setup.Group}},"subject_id":{{setup.Subject}}}""");
        var next = await student.GetAsync($"/api/questions/?session_id={session}");
        Assert.All([check, start, next], r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Contains("in progress", (await check.JsonAsync()).GetProperty("errors").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await student.PostAsync($"/api/attempts/{attempt}/submit/", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await student.GetAsync($"/api/questions/?session_id={session}")).StatusCode);
    }

    [Fact]
    public async Task APracticeSession_BelongsToItsCaller()
    {
        var setup = await QuizAsync(q => q.ClosesAt = DateTime.UtcNow.AddSeconds(-1));
        var start = await (await app.CreateClientAs(Roles.Student).PostJsonAsync("/api/questions/", $$"""{"group_id":{{setup.Group}},"subject_id":{{setup.Subject}}}""")).JsonAsync();
        var session = start.GetProperty("session_id").GetString();

        var byTeacher = await app.CreateClientAs(Roles.Teacher).GetAsync($"/api/questions/?session_id={session}");
        var anonymous = await app.CreateClient().GetAsync($"/api/questions/?session_id={session}");
        var unknown = await app.CreateClient().GetAsync($"/api/questions/?session_id={new string('0', 32)}");

        // Another caller does not reach it; the id alone does, as the original's clients use it.
        Assert.Equal(HttpStatusCode.BadRequest, byTeacher.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task ASessionAskedForByItsIdAlone_StillHoldsBackItsStudentsQuizQuestions()
    {
        var setup = await QuizAsync();

        var shown = await PractiseAllAsync(app.CreateClientAs(Roles.Student), setup, "\"levels\":[]", next: app.CreateClient());

        Assert.NotEmpty(shown);
        Assert.DoesNotContain(setup.FixedQuestion, shown);
        Assert.Empty(shown.Intersect(setup.PoolQuestions));
    }

    [Fact]
    public async Task ACaller_HasABoundedNumberOfLiveSessions_TheOldestEndFirst()
    {
        var setup = await QuizAsync(q => q.ClosesAt = DateTime.UtcNow.AddSeconds(-1));
        var client = app.CreateClientAs(Roles.Teacher);
        var sessions = new List<string>();
        for (var i = 0; i < EduLoop.Domain.Practice.PracticeSession.MaxLivePerLearner + 2; i++)
        {
            var start = await (await client.PostJsonAsync("/api/questions/", $$"""{"group_id":{{setup.Group}},"subject_id":{{setup.Subject}}}""")).JsonAsync();
            sessions.Add(start.GetProperty("session_id").GetString()!);
        }

        var live = new List<bool>();
        foreach (var session in sessions)
        {
            // A new client each time: the first one's cookie names its last session.
            live.Add((await app.CreateClientAs(Roles.Teacher).GetAsync($"/api/questions/?session_id={session}")).StatusCode == HttpStatusCode.OK);
        }

        Assert.Equal([false, false, .. Enumerable.Repeat(true, EduLoop.Domain.Practice.PracticeSession.MaxLivePerLearner)], live);
        await using var db = app.CreateDbContext();
        Assert.True(await db.PracticeSessions.CountAsync(s => s.Owner.StartsWith("user:")) <= 2 * EduLoop.Domain.Practice.PracticeSession.MaxLivePerLearner);
    }

    [Theory]
    [InlineData("category_ids", 101)]
    [InlineData("subcategory_ids", 101)]
    [InlineData("category_ids", -1)]
    [InlineData("subcategory_ids", -1)]
    public async Task PracticeStart_TooManyOrUnknownPlaces_Is400_AndStartsNothing(string field, int count)
    {
        var setup = await QuizAsync();
        var ids = count < 0 ? "[999999]" : "[" + string.Join(",", Enumerable.Range(1, count)) + "]";
        await using var before = app.CreateDbContext();
        var sessions = await before.PracticeSessions.CountAsync();

        var response = await app.CreateClientAs(Roles.Teacher).PostJsonAsync("/api/questions/", $$"""{"group_id":{{setup.Group}},"subject_id":{{setup.Subject}},"{{field}}":{{ids}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).TryGetProperty(field, out _));
        await using var after = app.CreateDbContext();
        Assert.Equal(sessions, await after.PracticeSessions.CountAsync());
    }

    /// <summary>A single-choice question that no quiz of these tests can show.</summary>
    private async Task<int> FreeQuestionAsync()
    {
        await using var db = app.CreateDbContext();
        var usedPools = await db.QuizSlots.Where(s => s.DrawSubCategoryId != null).Select(s => s.DrawSubCategoryId!.Value).ToListAsync();
        return await db.Questions
            .Where(q => q.Type == QuestionType.Mcq && !db.QuizSlots.Any(s => s.QuestionId == q.Id) && (q.SubCategoryId == null || !usedPools.Contains(q.SubCategoryId.Value)))
            .OrderByDescending(q => q.Id).Select(q => q.Id).FirstAsync();
    }

    /// <summary>Every question a new session with <paramref name="filter"/> shows, to its end.</summary>
    /// <summary>Every question a session started by <paramref name="client"/> shows; <paramref name="next"/> (default: the same client) asks for the rest.</summary>
    private static async Task<List<int>> PractiseAllAsync(HttpClient client, QuizSetup setup, string filter, HttpClient? next = null)
    {
        next ??= client;
        var start = await client.PostJsonAsync("/api/questions/", $$"""{"group_id":{{setup.Group}},"subject_id":{{setup.Subject}},{{filter}}}""");
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var body = await start.JsonAsync();
        var session = body.GetProperty("session_id").GetString();
        var shown = new List<int>();
        var question = body.GetProperty("question");
        while (question.ValueKind == JsonValueKind.Object)
        {
            shown.Add(question.GetProperty("id").GetInt32());
            var answer = await next.GetAsync($"/api/questions/?session_id={session}");
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
                break;
            }

            question = await answer.JsonAsync();
        }

        return shown;
    }
}
