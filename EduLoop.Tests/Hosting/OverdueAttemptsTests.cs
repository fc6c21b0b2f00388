using EduLoop.App.Hosting;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Hosting;

public sealed class OverdueAttemptsTests(EduLoopAppFactory app) : IClassFixture<EduLoopAppFactory>
{
    [Fact]
    public async Task TheAppSubmitsAttemptsPastTheirDeadline_AndLeavesTheOthers()
    {
        int overdue, running;
        await using (var db = app.CreateDbContext())
        {
            var student = await db.Users.Where(u => u.Email == TestAccounts.StudentEmail).Select(u => u.Id).SingleAsync();
            var quiz = new Quiz { Title = "Timed" };
            db.Quizzes.Add(quiz);
            await db.SaveChangesAsync();
            var late = new Attempt { QuizId = quiz.Id, StudentId = student, Number = 1, State = AttemptState.InProgress, StartedAt = DateTime.UtcNow.AddMinutes(-20), Deadline = DateTime.UtcNow.AddMinutes(-10), MaxScore = 1 };
            late.Questions.Add(new AttemptQuestion { Position = 1, QuestionId = 1, Type = EduLoop.Domain.QuestionBank.QuestionType.TrueFalse, Stem = "Q", Body = new() { TrueFalseAnswer = true }, Points = 1, Response = "true", Sequence = 1 });
            var otherQuiz = new Quiz { Title = "Still running" };
            db.Quizzes.Add(otherQuiz);
            await db.SaveChangesAsync();
            var open = new Attempt { QuizId = otherQuiz.Id, StudentId = student, Number = 1, State = AttemptState.InProgress, StartedAt = DateTime.UtcNow, Deadline = DateTime.UtcNow.AddHours(1), MaxScore = 0 };
            db.Attempts.AddRange(late, open);
            await db.SaveChangesAsync();
            (overdue, running) = (late.Id, open.Id);
        }

        // The hosted service's round, run now rather than waiting for its timer.
        await app.GetService<OverdueAttempts>().RunOnceAsync(CancellationToken.None);

        await using var check = app.CreateDbContext();
        var late2 = await check.Attempts.AsNoTracking().SingleAsync(a => a.Id == overdue);
        Assert.Equal((AttemptState.Graded, 1m), (late2.State, late2.Score!.Value));
        Assert.Equal(AttemptState.InProgress, (await check.Attempts.AsNoTracking().SingleAsync(a => a.Id == running)).State);
        Assert.Contains(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is OverdueAttempts);
    }
}
