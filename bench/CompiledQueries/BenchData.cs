using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Data;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Practice;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CompiledQueries;

/// <summary>The ids and keys the timed reads ask for, written next to the database it was made with.</summary>
public sealed record Fixture(
    int QuestionId, int AttemptId, string StudentId, string TokenKey, string AccessKey, string SessionId, string PractisingStudentId, string TeacherId);

/// <summary>
/// A database as a school has it: the seed verb's synthetic bank, a class of students who each took a
/// quiz of 20 questions (one attempt each, left in progress), an API token, an access key, and a
/// student who practises.
/// </summary>
public static class BenchData
{
    public const int Students = 200;
    public const int QuizQuestions = 20;

    public static ServiceProvider Services(string dataDirectory, ILoggerProvider? logger = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning);
            if (logger is not null)
            {
                logging.AddProvider(logger)
                    .AddFilter(DbLoggerCategory.Database.Command.Name, LogLevel.Information)
                    .AddFilter(DbLoggerCategory.Query.Name, LogLevel.Debug);
            }
        });
        services.AddEduLoopDomain(dataDirectory);
        return services.BuildServiceProvider();
    }

    public static Fixture Load(string dataDirectory) =>
        JsonSerializer.Deserialize<Fixture>(File.ReadAllText(FixturePath(dataDirectory)))
            ?? throw new InvalidOperationException($"No fixture in {dataDirectory}: run without arguments first.");

    /// <summary>Makes the database and its fixture once; later runs reuse them.</summary>
    public static async Task PrepareAsync(string dataDirectory, int questions)
    {
        if (File.Exists(FixturePath(dataDirectory)))
        {
            Console.WriteLine($"Using the database in {dataDirectory}.");
            return;
        }

        await using var services = Services(dataDirectory);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var taxonomy = SyntheticBank.Taxonomy();
        var took = await provider.GetRequiredService<BankWriter>().WriteAsync(taxonomy, SyntheticBank.Questions(questions, taxonomy.SubCategories.Count), createdById: null);
        Console.WriteLine($"Seeded {questions:N0} questions in {took.TotalSeconds:0.0} s.");

        var contexts = provider.GetRequiredService<IDbContextFactory<EduLoopDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var picked = await db.Questions.OrderBy(q => q.Id).Select(q => q.Id).Take(QuizQuestions).ToListAsync();
        var group = await db.Groups.OrderBy(g => g.Id).Select(g => g.Id).FirstAsync();
        var subject = await db.Subjects.Where(s => s.GroupId == group).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();

        var classes = provider.GetRequiredService<ClassService>();
        var schoolClass = await classes.CreateAsync("Bench class", "Students of the compiled-query benchmark");
        var key = await classes.AddKeyAsync(schoolClass.Id, "Bench key");
        var users = Enumerable.Range(0, Students + 2).Select(i => NewUser(i == Students + 1 ? "teacher@bench.local" : $"student-{i}@bench.local")).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        var (students, practising, teacher) = (users[..Students], users[Students], users[Students + 1]);
        db.UserRoles.Add(new() { UserId = teacher.Id, RoleId = await db.Roles.Where(r => r.Name == Roles.Teacher).Select(r => r.Id).SingleAsync() });
        db.ClassMemberships.AddRange(users[..(Students + 1)].Select(u => new ClassMembership { SchoolClassId = schoolClass.Id, UserId = u.Id, JoinedAt = DateTime.UtcNow }));
        await db.SaveChangesAsync();

        var quiz = await provider.GetRequiredService<QuizService>().CreateAsync(
            new QuizDraft("Bench quiz", picked.Select(id => new SlotDraft(QuestionId: id)).ToList()) { ClassIds = [schoolClass.Id], AttemptsAllowed = 0 }, null);
        var attempts = provider.GetRequiredService<AttemptService>();
        var attemptIds = new List<int>();
        foreach (var student in students)
        {
            attemptIds.Add((await attempts.StartAsync(quiz, student.Id)).Id);
        }

        var token = await provider.GetRequiredService<ApiTokenService>().CreateAsync(students[0].Id, "Bench token", null);
        var session = await provider.GetRequiredService<PracticeService>().StartAsync(Learner.Student(practising.Id), new PracticeFilter(group, subject, [], [], []));
        var middle = await db.Questions.OrderBy(q => q.Id).Skip(questions / 2).Select(q => q.Id).FirstAsync();
        var fixture = new Fixture(middle, attemptIds[Students / 2], students[Students / 2].Id, token.Key, key.Key, session.SessionId, practising.Id, teacher.Id);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        await File.WriteAllTextAsync(FixturePath(dataDirectory), JsonSerializer.Serialize(fixture));
        Console.WriteLine($"Added {Students} students with an attempt each at a quiz of {QuizQuestions} questions, a token, an access key and a practice session.");
    }

    private static string FixturePath(string dataDirectory) => Path.Combine(dataDirectory, "compiled-queries-fixture.json");

    private static ApplicationUser NewUser(string email) => new()
    {
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        EmailConfirmed = true,
        DisplayName = email,
        SecurityStamp = Guid.NewGuid().ToString("N"),
    };
}
