using EduLoop.Domain.Data;
using EduLoop.Domain.Quizzes;

using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Infrastructure;

/// <summary>Attempts already past their deadline, for the tests of the overdue rounds.</summary>
public static class OverdueSchool
{
    /// <summary>
    /// <paramref name="count"/> attempts in progress whose deadline passed ten minutes ago, one per new
    /// quiz (a student has one attempt in progress per quiz), each with a saved true/false answer to
    /// <paramref name="questionId"/>; their ids.
    /// </summary>
    public static async Task<IReadOnlyList<int>> CreateAsync(EduLoopDbContext db, string studentEmail, int questionId, int count)
    {
        var student = await db.Users.Where(u => u.Email == studentEmail).Select(u => u.Id).SingleAsync();
        var quizzes = Enumerable.Range(1, count).Select(n => new Quiz { Title = $"Overdue {n}" }).ToList();
        db.Quizzes.AddRange(quizzes);
        await db.SaveChangesAsync();
        var attempts = quizzes.Select(quiz => new Attempt
        {
            QuizId = quiz.Id,
            StudentId = student,
            Number = 1,
            State = AttemptState.InProgress,
            StartedAt = DateTime.UtcNow.AddMinutes(-20),
            Deadline = DateTime.UtcNow.AddMinutes(-10),
            MaxScore = 1,
            Questions =
            {
                new AttemptQuestion
                {
                    Position = 1, QuestionId = questionId, Type = EduLoop.Domain.QuestionBank.QuestionType.TrueFalse, Stem = "Q",
                    Body = new() { TrueFalseAnswer = true }, Points = 1, Response = "true", Sequence = 1,
                },
            },
        }).ToList();
        db.Attempts.AddRange(attempts);
        await db.SaveChangesAsync();
        return [.. attempts.Select(a => a.Id)];
    }
}
