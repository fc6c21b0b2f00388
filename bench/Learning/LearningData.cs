using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Data;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Learning;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Learning;

/// <summary>The ids the timed reads ask for, written next to the database.</summary>
public sealed record Fixture(string HeavyStudentId, int ClassId, int QuizId, string AdminId);

/// <summary>
/// A school after a year of practice: the seed verb's synthetic bank (200 subcategories), one student
/// with <see cref="HeavyStates"/> memory states and as many graded answers, a class of
/// <see cref="ClassSize"/> students with <see cref="StatesPerTopic"/> states in each of the 200
/// subcategories, and a quiz of <see cref="QuizSlots"/> questions with <see cref="QuizAttempts"/>
/// graded attempts.
/// </summary>
public static class LearningData
{
    public const int HeavyStates = 50_000;
    public const int ClassSize = 40;
    public const int StatesPerTopic = 10;
    public const int QuizSlots = 50;
    public const int QuizAttempts = 1_000;

    public static ServiceProvider Services(string dataDirectory)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddEduLoopDomain(dataDirectory);
        return services.BuildServiceProvider();
    }

    public static Fixture Load(string dataDirectory) =>
        JsonSerializer.Deserialize<Fixture>(File.ReadAllText(FixturePath(dataDirectory)))
            ?? throw new InvalidOperationException($"No fixture in {dataDirectory}.");

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
        var taxonomy = SyntheticBank.Taxonomy(groups: 2, subjectsPerGroup: 5, categoriesPerSubject: 4, subCategoriesPerCategory: 5);
        var took = await provider.GetRequiredService<BankWriter>().WriteAsync(taxonomy, SyntheticBank.Questions(questions, taxonomy.SubCategories.Count), createdById: null);
        Console.WriteLine($"Seeded {questions:N0} questions in {took.TotalSeconds:0.0} s.");

        var contexts = provider.GetRequiredService<IDbContextFactory<EduLoopDbContext>>();
        var random = new Random(17);
        var now = DateTime.UtcNow;
        await using var db = await contexts.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var users = Enumerable.Range(0, QuizAttempts + 1).Select(i => NewUser($"learner-{i}@bench.local")).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        var admin = NewUser("admin@bench.local");
        db.Users.Add(admin);
        db.UserRoles.Add(new() { UserId = admin.Id, RoleId = await db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id).SingleAsync() });
        await db.SaveChangesAsync();

        // One student who has answered 50,000 questions over the year and keeps up with their reviews:
        // each question was last seen within its interval, so a few thousand fall due on a given day.
        var heavy = users[0];
        var ids = await db.Questions.OrderBy(q => q.Id).Select(q => new { q.Id, q.SubCategoryId }).ToListAsync();
        foreach (var chunk in ids.Take(HeavyStates).Chunk(5_000))
        {
            await using var batch = await contexts.CreateDbContextAsync();
            batch.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var question in chunk)
            {
                var stability = 0.5 + (random.NextDouble() * 60);
                var last = now.AddDays(-random.NextDouble() * Math.Max(1, Math.Round(stability)));
                batch.ReviewStates.Add(new ReviewState
                {
                    StudentId = heavy.Id, QuestionId = question.Id, Phase = LearningPhase.Review, Stability = stability, Difficulty = 1 + (random.NextDouble() * 9),
                    LastReview = last, Due = last.AddDays(Math.Max(1, Math.Round(stability))), Reviews = 1 + random.Next(6),
                });
                batch.ReviewLogs.Add(new ReviewLog
                {
                    StudentId = heavy.Id, QuestionId = question.Id, Type = QuestionType.Mcq, ReviewedAt = last, Rating = Rating.Good,
                    Source = ReviewSource.Practice, Score = 1, Correct = true, TimeTakenMs = 5_000 + random.Next(20_000),
                });
            }

            await batch.SaveChangesAsync();
        }

        // A class of 40, each with 10 states in every one of the 200 subcategories.
        var schoolClass = new SchoolClass { Name = "Heatmap class" };
        foreach (var student in users.Skip(1).Take(ClassSize))
        {
            schoolClass.Members.Add(new ClassMembership { UserId = student.Id, JoinedAt = now });
        }

        db.SchoolClasses.Add(schoolClass);
        await db.SaveChangesAsync();
        var byTopic = ids.Where(q => q.SubCategoryId is not null).GroupBy(q => q.SubCategoryId!.Value).ToList();
        foreach (var student in users.Skip(1).Take(ClassSize))
        {
            await using var batch = await contexts.CreateDbContextAsync();
            batch.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var topic in byTopic)
            {
                foreach (var question in topic.Take(StatesPerTopic))
                {
                    var last = now.AddDays(-random.Next(0, 60));
                    var stability = 0.5 + (random.NextDouble() * 30);
                    batch.ReviewStates.Add(new ReviewState
                    {
                        StudentId = student.Id, QuestionId = question.Id, Phase = LearningPhase.Review, Stability = stability, Difficulty = 5,
                        LastReview = last, Due = last.AddDays(Math.Max(1, Math.Round(stability))), Reviews = 1,
                    });
                }
            }

            await batch.SaveChangesAsync();
        }

        // A quiz of 50 questions with 1,000 graded attempts.
        var slots = await db.Questions.AsNoTracking().Where(q => q.Type == QuestionType.Mcq).OrderBy(q => q.Id).Take(QuizSlots).ToListAsync();
        var quiz = await provider.GetRequiredService<QuizService>().CreateAsync(
            new QuizDraft("Statistics quiz", slots.Select(q => new SlotDraft(QuestionId: q.Id)).ToList()) { ClassIds = [schoolClass.Id], AttemptsAllowed = 0 }, null);
        foreach (var chunk in users.Skip(1).Take(QuizAttempts).Chunk(100))
        {
            await using var batch = await contexts.CreateDbContextAsync();
            batch.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var student in chunk)
            {
                var ability = random.NextDouble();
                var attempt = new Attempt
                {
                    QuizId = quiz, StudentId = student.Id, Number = 1, State = AttemptState.Graded, StartedAt = now.AddHours(-2), SubmittedAt = now.AddHours(-1),
                    MaxScore = QuizSlots,
                };
                decimal total = 0;
                for (var position = 1; position <= QuizSlots; position++)
                {
                    var question = slots[position - 1];
                    var right = random.NextDouble() < (0.3 + (0.6 * ability));
                    var choice = right ? question.Body.Choices.First(c => c.Fraction > 0) : question.Body.Choices[random.Next(question.Body.Choices.Count)];
                    var score = choice.Fraction > 0 ? 1m : 0m;
                    total += score;
                    attempt.Questions.Add(new AttemptQuestion
                    {
                        Position = position, QuestionId = question.Id, Type = question.Type, Stem = question.Stem, Body = question.Body,
                        ChoiceOrder = [.. Enumerable.Range(0, question.Body.Choices.Count)], Points = 1m, Response = JsonSerializer.Serialize(choice.Text),
                        Sequence = 1, SavedAt = now.AddHours(-1), Score = score,
                    });
                }

                attempt.Score = total;
                batch.Attempts.Add(attempt);
            }

            await batch.SaveChangesAsync();
        }

        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        await File.WriteAllTextAsync(FixturePath(dataDirectory), JsonSerializer.Serialize(new Fixture(heavy.Id, schoolClass.Id, quiz, admin.Id)));
        Console.WriteLine($"Added a student with {HeavyStates:N0} states, a class of {ClassSize} with {StatesPerTopic} states per subcategory, and a quiz of {QuizSlots} slots with {QuizAttempts:N0} graded attempts.");
    }

    private static string FixturePath(string dataDirectory) => Path.Combine(dataDirectory, "learning-fixture.json");

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
