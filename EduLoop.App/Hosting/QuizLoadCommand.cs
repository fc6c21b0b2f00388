using System.Globalization;
using System.Text;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Data;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.App.Hosting;

/// <summary>
/// <c>quiz-load --students N --questions Q --out FILE [--password P] [--one-per-page true] [--data-dir DIR]</c>:
/// for the answer and circuit benchmarks, adds N students in one class, a quiz of Q fixed questions
/// from the bank (without a time limit; all on one page unless asked otherwise), starts an attempt for each and writes one line per student:
/// <c>email, API token, attempt id, questions</c>, tab-separated.
/// </summary>
public static class QuizLoadCommand
{
    private const string Usage = "Usage: EduLoop.App quiz-load --students N --questions Q --out FILE [--password P] [--one-per-page true] [--data-dir DIR]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (await CommandLine.ReadOptionsAsync(args, Usage, "--students", "--questions", "--out", "--password", "--one-per-page", "--data-dir") is not { } options)
        {
            return 2;
        }

        if (!int.TryParse(options.GetValueOrDefault("--students"), NumberStyles.None, CultureInfo.InvariantCulture, out var students) || students is < 1 or > 100_000
            || !int.TryParse(options.GetValueOrDefault("--questions"), NumberStyles.None, CultureInfo.InvariantCulture, out var questions) || questions is < 1 or > 200
            || options.GetValueOrDefault("--out") is not { } file)
        {
            await CommandLine.FailAsync("Give --students (1 to 100,000), --questions (1 to 200) and --out.", Usage);
            return 2;
        }

        using var host = await CommandLine.OpenDatabaseAsync(options.GetValueOrDefault("--data-dir", "data"));
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var contextFactory = services.GetRequiredService<IDbContextFactory<EduLoopDbContext>>();
        await using var db = await contextFactory.CreateDbContextAsync();
        var picked = await db.Questions.Where(q => !q.IsArchived && (q.Type == QuestionType.Mcq || q.Type == QuestionType.TrueFalse))
            .OrderBy(q => q.Id).Select(q => q.Id).Take(questions).ToListAsync();
        if (picked.Count < questions)
        {
            await Console.Error.WriteLineAsync($"The bank has only {picked.Count} choice or true/false questions; seed it first.");
            return 1;
        }

        var schoolClass = await services.GetRequiredService<ClassService>().CreateAsync($"Load {DateTime.UtcNow:yyyyMMddHHmmss}", "Benchmark students");
        var run = Guid.NewGuid().ToString("N")[..6];
        var hasher = new Microsoft.AspNetCore.Identity.PasswordHasher<ApplicationUser>();
        var password = options.GetValueOrDefault("--password");
        var users = new List<ApplicationUser>();
        for (var i = 0; i < students; i++)
        {
            var email = $"load-{run}-{i}@bench.local";
            var user = new ApplicationUser
            {
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                DisplayName = $"Load student {i}",
                SecurityStamp = Guid.NewGuid().ToString("N"),
            };
            user.PasswordHash = password is null ? null : hasher.HashPassword(user, password);
            users.Add(user);
        }

        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        var studentRole = await db.Roles.Where(r => r.Name == Roles.Student).Select(r => r.Id).SingleAsync();
        db.UserRoles.AddRange(users.Select(u => new Microsoft.AspNetCore.Identity.IdentityUserRole<string> { UserId = u.Id, RoleId = studentRole }));
        db.ClassMemberships.AddRange(users.Select(u => new ClassMembership { SchoolClassId = schoolClass.Id, UserId = u.Id, JoinedAt = DateTime.UtcNow }));
        await db.SaveChangesAsync();

        var quiz = await services.GetRequiredService<QuizService>().CreateAsync(
            new QuizDraft($"Load quiz {run}", picked.Select(id => new SlotDraft(QuestionId: id)).ToList())
            {
                ClassIds = [schoolClass.Id],
                AttemptsAllowed = 0,
                OneQuestionPerPage = options.GetValueOrDefault("--one-per-page") == "true",
            }, null);
        var attempts = services.GetRequiredService<AttemptService>();
        var tokens = services.GetRequiredService<ApiTokenService>();
        var lines = new StringBuilder();
        foreach (var user in users)
        {
            var attempt = await attempts.StartAsync(quiz, user.Id);
            lines.Append(CultureInfo.InvariantCulture, $"{user.Email}\t{(await tokens.CreateAsync(user.Id, "Load test", null)).Key}\t{attempt.Id}\t{questions}\n");
        }

        await File.WriteAllTextAsync(file, lines.ToString());
        Console.WriteLine($"{students} students with an attempt each at quiz {quiz} ({questions} questions): {file}");
        return 0;
    }
}
