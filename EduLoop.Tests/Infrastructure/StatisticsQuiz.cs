using System.Text;
using System.Text.Json;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Data;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EduLoop.Tests.Infrastructure;

/// <summary>Whether one attempt got each of the <see cref="StatisticsQuiz"/>'s three questions right.</summary>
public sealed record StatisticsAnswers(bool Capital, bool Sky, bool River);

/// <summary>A quiz built by <see cref="StatisticsQuiz.CreateAsync"/>: its id and title, and the bank ids of its questions by title.</summary>
public sealed record StatisticsQuizInfo(int QuizId, string Title, IReadOnlyDictionary<string, int> Questions);

/// <summary>
/// A quiz for the statistics page and its CSV whose attempts have known marks: three questions of one
/// point each in this order ("Capital", single choice between Paris and Lyon; "Sky", true/false;
/// "River", true/false), and one student per attempt, who answers right or wrong as given and
/// submits, so that every attempt is graded.
/// </summary>
public static class StatisticsQuiz
{
    /// <summary>The quiz in the test app, by its demo teacher.</summary>
    public static async Task<StatisticsQuizInfo> CreateAsync(EduLoopAppFactory app, params StatisticsAnswers[] attempts)
    {
        await using var scope = app.Services.CreateAsyncScope();
        string teacher;
        await using (var db = app.CreateDbContext())
        {
            teacher = await db.Users.Where(u => u.Email == TestAccounts.TeacherEmail).Select(u => u.Id).SingleAsync();
        }

        return await CreateAsync(scope.ServiceProvider, app.CreateDbContext, teacher, attempts);
    }

    /// <summary>The quiz in any database the domain services work on, by the given teacher.</summary>
    public static async Task<StatisticsQuizInfo> CreateAsync(IServiceProvider services, Func<EduLoopDbContext> createContext, string teacher, params StatisticsAnswers[] attempts)
    {
        var run = $"{Guid.NewGuid():N}"[..8];
        var category = $"Statistics {run}";
        var gift = $$"""
            $CATEGORY: Quizzes/Statistics/{{category}}

            ::Capital::What is the capital of France? {=Paris ~Lyon}

            ::Sky::The sky is green. {F}

            ::River::Rivers flow downhill. {T}

            """;
        await services.GetRequiredService<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(gift)),
            new ImportOptions { Duplicates = DuplicateHandling.Import }, null);
        await using var db = createContext();
        var questions = await db.Questions.Where(q => q.Category!.Name == category).ToDictionaryAsync(q => q.Title, q => q.Id);

        var schoolClass = await services.GetRequiredService<ClassService>().CreateAsync($"Class {run}", "");
        var accounts = services.GetRequiredService<UserAdminService>();
        var students = new List<string>();
        for (var i = 0; i < attempts.Length; i++)
        {
            var student = await accounts.CreateAsync(new NewUser($"{run}-{i}@school.test", $"Student {i + 1} {run}", Roles.Student, "statistics passphrase"));
            db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = student.Id, JoinedAt = DateTime.UtcNow });
            students.Add(student.Id);
        }

        await db.SaveChangesAsync();
        var title = $"Statistics quiz {run}";
        var quiz = await services.GetRequiredService<QuizService>().CreateAsync(
            new QuizDraft(title, [new SlotDraft(QuestionId: questions["Capital"]), new SlotDraft(QuestionId: questions["Sky"]), new SlotDraft(QuestionId: questions["River"])])
            {
                ClassIds = [schoolClass.Id],
                ShuffleChoices = false,
            }, teacher);

        var attemptService = services.GetRequiredService<AttemptService>();
        foreach (var (answers, student) in attempts.Zip(students))
        {
            var attempt = await attemptService.StartAsync(quiz, student);
            var sequence = 0;
            foreach (var (question, response) in new[]
            {
                ("Capital", answers.Capital ? "\"Paris\"" : "\"Lyon\""),
                ("Sky", answers.Sky ? "false" : "true"),
                ("River", answers.River ? "true" : "false"),
            })
            {
                var position = attempt.Questions.Single(q => q.QuestionId == questions[question]).Position;
                await attemptService.SaveAnswerAsync(attempt.Id, student, position, JsonDocument.Parse(response).RootElement, ++sequence);
            }

            await attemptService.SubmitAsync(attempt.Id, student);
        }

        return new StatisticsQuizInfo(quiz, title, questions);
    }
}
