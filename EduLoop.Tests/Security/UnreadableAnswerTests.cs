using System.Net;
using EduLoop.App.Hosting;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Security;

/// <summary>
/// Rows that no route accepts any more, written straight into the database as older versions or a
/// damaged disk could have left them: an answer holding a lone surrogate, and a question whose frozen
/// body is not JSON. Neither may stop the school: every other overdue attempt is submitted on time,
/// and the reviews and the teacher's pages show the bad answer as unreadable.
/// </summary>
public sealed class UnreadableAnswerTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    [Fact]
    public async Task OverdueAttempts_AreSubmittedEachOnItsOwn_AndABrokenOneIsLoggedAndRetried()
    {
        var good1 = await AttemptAsync("\"Paris\"");
        var surrogate = await AttemptAsync("\"\\ud800\"");
        var broken = await AttemptAsync("\"Paris\"");
        var good2 = await AttemptAsync("\"Paris\"");
        var essay = await AttemptAsync("\"\\udfff and more\"", QuestionType.Writing);
        await using (var db = app.CreateDbContext())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE AttemptQuestions SET Body = '{{not json' WHERE AttemptId = {broken}");
        }

        var failuresBefore = app.Failures.Entries.Count;
        var submitted = await app.GetService<OverdueAttempts>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(4, submitted);
        await using var check = app.CreateDbContext();
        int[] ids = [good1, surrogate, broken, good2, essay];
        var states = await check.Attempts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id);
        Assert.Equal((AttemptState.Graded, 1m), (states[good1].State, states[good1].Score!.Value));
        Assert.Equal((AttemptState.Graded, 1m), (states[good2].State, states[good2].Score!.Value));
        Assert.Equal((AttemptState.Graded, 0m), (states[surrogate].State, states[surrogate].Score!.Value));
        Assert.Equal(AttemptState.Submitted, states[essay].State);
        Assert.Equal(AttemptState.InProgress, states[broken].State);
        var logged = Assert.Single(ServiceFailures(failuresBefore));
        Assert.Contains($"overdue attempt {broken} failed", logged, StringComparison.Ordinal);

        // The next round tries the broken one again (and only it), and still does not throw.
        Assert.Equal(0, await app.GetService<OverdueAttempts>().RunOnceAsync(CancellationToken.None));
        Assert.Equal(2, ServiceFailures(failuresBefore).Count);
    }

    [Fact]
    public async Task AnUnreadableAnswer_IsShownAsUnreadable_InTheReviewsAndTheGradingQueue()
    {
        var attempt = await AttemptAsync("\"\\ud800\"");
        var essay = await AttemptAsync("\"\\udfff\"", QuestionType.Writing);
        string student;
        int quiz;
        await using (var db = app.CreateDbContext())
        {
            (student, quiz) = await db.Attempts.Where(a => a.Id == essay).Select(a => new ValueTuple<string, int>(a.StudentId, a.QuizId)).SingleAsync();
        }

        await app.GetService<OverdueAttempts>().RunOnceAsync(CancellationToken.None);

        var review = await app.GetService<AttemptService>().ReviewAsync(attempt, student, viewerIsStaff: false);
        Assert.Equal(ReviewBuilder.UnreadableResponse, Assert.Single(review.Questions).ResponseText);

        var api = await app.CreateClientAs(Roles.Student).GetAsync($"/api/attempts/{attempt}/");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var question = (await api.JsonAsync()).GetProperty("questions")[0];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, question.GetProperty("response").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClientAs(Roles.Teacher).GetAsync($"/api/attempts/{essay}/")).StatusCode);

        var queue = await app.GetService<GradingService>().QueueAsync(EduLoop.Domain.Actor.Admin("admin"), quiz);
        Assert.Contains(queue, e => e.AttemptId == essay && e.Answer == ReviewBuilder.UnreadableResponse);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClientAs(Roles.Teacher).GetAsync($"/quizzes/{quiz}/results.csv")).StatusCode);
    }

    private List<string> ServiceFailures(int skip) =>
        app.Failures.Entries.Skip(skip).Where(e => e.Contains(typeof(OverdueAttempts).FullName!, StringComparison.Ordinal)).ToList();

    /// <summary>An attempt at a quiz of its own whose deadline passed a minute ago, with one question and the stored answer given.</summary>
    private async Task<int> AttemptAsync(string response, QuestionType type = QuestionType.Mcq)
    {
        await using var db = app.CreateDbContext();
        var student = await db.Users.Where(u => u.Email == TestAccounts.StudentEmail).Select(u => u.Id).SingleAsync();
        var quiz = new Quiz { Title = "Overdue", Review = ReviewTime.Immediately, ReviewShowsCorrectAnswers = true };
        db.Quizzes.Add(quiz);
        await db.SaveChangesAsync();
        var attempt = new Attempt
        {
            QuizId = quiz.Id,
            StudentId = student,
            Number = 1,
            State = AttemptState.InProgress,
            MaxScore = 1,
            StartedAt = DateTime.UtcNow.AddMinutes(-20),
            Deadline = DateTime.UtcNow.AddMinutes(-1),
        };
        var body = type == QuestionType.Mcq
            ? new QuestionBody { Choices = [new Choice("Paris", 1m), new Choice("Lyon", 0m)] }
            : new QuestionBody();
        attempt.Questions.Add(new AttemptQuestion { Position = 1, QuestionId = 1, Type = type, Stem = "Capital?", Body = body, ChoiceOrder = [0, 1], Points = 1, Sequence = 1 });
        db.Attempts.Add(attempt);
        await db.SaveChangesAsync();
        // Written as SQL, past every check a route makes today.
        await db.Database.ExecuteSqlAsync($"UPDATE AttemptQuestions SET Response = {response} WHERE AttemptId = {attempt.Id}");
        return attempt.Id;
    }
}
