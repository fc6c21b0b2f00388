using System.Globalization;
using EduLoop.Domain;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Domain.Quizzes.Statistics;
using EduLoop.Tests.Infrastructure;

namespace EduLoop.Tests.Domain.Quizzes.Statistics;

/// <summary>
/// The statistics of a quiz stored in the database: Moodle's fixture attempts (25 attempts, 7 slots)
/// written as attempts give the fixture's figures, and the attempts that are not part of them (a
/// preview, one in progress, one waiting for an essay grade, a description) change nothing.
/// </summary>
public sealed class QuizStatisticsServiceTests : IAsyncLifetime
{
    private static readonly string _results = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "corpus", "moodle-statistics", "results00.csv"));
    private DomainDatabase _database = null!;

    public async Task InitializeAsync() => _database = await DomainDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Get_FixtureAttempts_GiveMoodlesFigures_AndOthersAreLeftOut()
    {
        var marks = FixtureMarks();
        var quizId = await WriteQuizAsync(marks);

        var report = await _database.Get<QuizStatisticsService>().GetAsync(quizId);

        var expected = QuizStatisticsCalculator.Calculate(Enumerable.Repeat(new StatisticsSlot(1), 7).ToList(), marks);
        Assert.Equal(expected.Test, report.Test);
        Assert.Equal(expected.Slots, report.Slots.Select(s => s.Figures with { RandomGuessScore = null }));
        // Two figures as Moodle's quiz00.csv has them.
        Assert.Equal(25, report.Test.Attempts);
        Assert.Equal(4.617333332, report.Test.Mean!.Value, 6);
    }

    [Fact]
    public async Task Get_ChoiceSlot_CountsEachChoice_AndHasTheRandomGuessScore()
    {
        var quizId = await WriteQuizAsync(FixtureMarks());

        var slot = (await _database.Get<QuizStatisticsService>().GetAsync(quizId)).Slots[0];

        Assert.Equal(1, slot.QuestionId);
        // No longer in the bank: the title is the start of the stem the attempts showed.
        Assert.Equal("Q1", slot.Title);
        Assert.Equal(0.25, slot.Figures.RandomGuessScore);
        // Responses cycle through "A", "B", 2 (the index of "C"), an unreadable one and none.
        Assert.Equal([new ChoiceCount("A", 5), new ChoiceCount("B", 5), new ChoiceCount("C", 5), new ChoiceCount("D", 0)], slot.Choices);
    }

    [Fact]
    public async Task Get_UnknownQuiz_IsNotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => _database.Get<QuizStatisticsService>().GetAsync(404_404));

    [Fact]
    public async Task Get_QuizWithoutAttempts_HasNoFigures()
    {
        await using var db = _database.CreateContext();
        var quiz = new Quiz { Title = "Nobody yet" };
        db.Quizzes.Add(quiz);
        await db.SaveChangesAsync();

        var report = await _database.Get<QuizStatisticsService>().GetAsync(quiz.Id);

        Assert.Equal(0, report.Test.Attempts);
        Assert.Null(report.Test.Mean);
        Assert.Empty(report.Slots);
    }

    private static List<IReadOnlyList<double>> FixtureMarks()
    {
        var lines = File.ReadAllLines(_results);
        var header = lines[0].Split(',');
        var columns = Enumerable.Range(1, 7).Select(slot => Array.IndexOf(header, $"slots.{slot}.mark")).ToArray();
        Assert.DoesNotContain(-1, columns);
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => (IReadOnlyList<double>)columns.Select(c => double.Parse(l.Split(',')[c], CultureInfo.InvariantCulture)).ToList())
            .ToList();
    }

    /// <summary>A quiz whose handed-in attempts have these marks (slot 1 a four-choice question), plus attempts that must not count.</summary>
    private async Task<int> WriteQuizAsync(IReadOnlyList<IReadOnlyList<double>> marks)
    {
        await using var db = _database.CreateContext();
        var student = new ApplicationUser { UserName = $"{Guid.NewGuid():N}@school.test", Email = "student@school.test" };
        db.Users.Add(student);
        var quiz = new Quiz { Title = "Fixture" };
        db.Quizzes.Add(quiz);
        await db.SaveChangesAsync();

        string?[] responses = ["\"A\"", "\"B\"", "2", "not json", null];
        var number = 0;
        Attempt NewAttempt(AttemptState state, bool preview, bool needsGrading, IReadOnlyList<double> row)
        {
            var attempt = new Attempt
            {
                QuizId = quiz.Id,
                StudentId = student.Id,
                Number = preview ? 0 : ++number,
                State = state,
                IsPreview = preview,
                NeedsGrading = needsGrading,
                StartedAt = DateTime.UtcNow.AddHours(-1),
                MaxScore = 7,
                SubmittedAt = state == AttemptState.InProgress ? null : DateTime.UtcNow,
            };
            for (var slot = 1; slot <= 7; slot++)
            {
                attempt.Questions.Add(new AttemptQuestion
                {
                    Position = slot,
                    QuestionId = slot,
                    Type = slot == 1 ? QuestionType.Mcq : QuestionType.Writing,
                    Stem = $"Q{slot}",
                    Body = slot == 1 ? new QuestionBody { Choices = [new("A", 1m), new("B", 0m), new("C", 0m), new("D", 0m)] } : new QuestionBody(),
                    Points = 1,
                    Score = (decimal)row[slot - 1],
                    Response = slot == 1 ? responses[number % responses.Length] : null,
                });
            }

            attempt.Questions.Add(new AttemptQuestion { Position = 8, QuestionId = 8, Type = QuestionType.Description, Stem = "Read this", Points = 0 });
            return attempt;
        }

        foreach (var row in marks)
        {
            db.Attempts.Add(NewAttempt(AttemptState.Graded, preview: false, needsGrading: false, row));
        }

        var full = Enumerable.Repeat(1.0, 7).ToList();
        db.Attempts.Add(NewAttempt(AttemptState.InProgress, preview: false, needsGrading: false, full));
        db.Attempts.Add(NewAttempt(AttemptState.Submitted, preview: false, needsGrading: true, full));
        db.Attempts.Add(NewAttempt(AttemptState.Submitted, preview: true, needsGrading: false, full));
        await db.SaveChangesAsync();
        return quiz.Id;
    }
}
