using EduLoop.Domain.Caching;
using EduLoop.Domain.Data.Seeding;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Learning;
using EduLoop.Domain.Practice;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

public sealed class PracticeServiceTests : IAsyncLifetime
{
    private static readonly Learner Learner = Learner.Student("a student");
    private DomainDatabase _database = null!;
    private int _groupId;
    private int _subjectId;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        // One group and subject with 4 categories × 5 subcategories and 600 questions.
        var taxonomy = SyntheticBank.Taxonomy(groups: 1, subjectsPerGroup: 1);
        await _database.Get<BankWriter>().WriteAsync(taxonomy, SyntheticBank.Questions(600, taxonomy.SubCategories.Count), createdById: null);
        await using var db = _database.CreateContext();
        _groupId = await db.Groups.Select(g => g.Id).SingleAsync();
        _subjectId = await db.Subjects.Select(s => s.Id).SingleAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Session_ShowsEveryQuestionOfItsPoolOnce_ThenNone()
    {
        var practice = _database.Get<PracticeService>();

        var step = await practice.StartAsync(Learner, new PracticeFilter(_groupId, _subjectId, [], [], []));
        var seen = new List<int>();
        while (step.Question is { } question)
        {
            seen.Add(question.Id);
            step = await practice.NextAsync(Learner, step.SessionId);
        }

        Assert.Equal(600, seen.Count);
        Assert.Equal(600, seen.Distinct().Count());
        Assert.NotEqual(seen.Order(), seen);
    }

    [Fact]
    public async Task Session_NeverShowsArchivedQuestionsOrDescriptions()
    {
        var practice = _database.Get<PracticeService>();
        await using (var db = _database.CreateContext())
        {
            await db.Questions.Where(q => q.Id % 3 == 0).ExecuteUpdateAsync(u => u.SetProperty(q => q.IsArchived, true));
            await db.Questions.Where(q => q.Id % 3 == 1).ExecuteUpdateAsync(u => u.SetProperty(q => q.Type, QuestionType.Description));
        }

        var step = await practice.StartAsync(Learner, new PracticeFilter(_groupId, _subjectId, [], [], []));
        var seen = new List<int>();
        while (step.Question is { } question)
        {
            seen.Add(question.Id);
            step = await practice.NextAsync(Learner, step.SessionId);
        }

        Assert.Equal(200, seen.Count);
        Assert.All(seen, id => Assert.Equal(2, id % 3));
        Assert.Equal(200, seen.Distinct().Count());
    }

    [Fact]
    public async Task Session_OfCategoriesAndLevels_ShowsEachOfTheirQuestionsOnce()
    {
        List<int> categoryIds;
        await using (var db = _database.CreateContext())
        {
            categoryIds = await db.Categories.OrderBy(c => c.Id).Select(c => c.Id).Take(2).ToListAsync();
        }

        var practice = _database.Get<PracticeService>();
        var step = await practice.StartAsync(Learner, new PracticeFilter(_groupId, _subjectId, categoryIds, [], [QuestionLevel.Easy, QuestionLevel.Advance]));
        var shown = new List<QuestionRecord>();
        while (step.Question is { } question)
        {
            shown.Add(question);
            step = await practice.NextAsync(Learner, step.SessionId);
        }

        await using var check = _database.CreateContext();
        var expected = await check.Questions
            .Where(q => categoryIds.Contains(q.CategoryId) && (q.Level == QuestionLevel.Easy || q.Level == QuestionLevel.Advance))
            .Select(q => q.Id).OrderBy(id => id).ToListAsync();
        Assert.True(expected.Count > 180, $"{expected.Count} questions: too few for a pool that is sampled");
        Assert.Equal(expected, shown.Select(q => q.Id).Order());
    }

    [Fact]
    public async Task QuestionsMovedInOrOutOfAPool_AfterASessionKeptItsIds_AreShownOrNotInTheNextSession()
    {
        var practice = _database.Get<PracticeService>();
        var easy = new PracticeFilter(_groupId, _subjectId, [], [], [QuestionLevel.Easy]);
        var before = await PractiseAllAsync(practice, easy);
        List<int> joining, leaving, archived;
        await using (var db = _database.CreateContext())
        {
            joining = await db.Questions.Where(q => q.Level != QuestionLevel.Easy).OrderBy(q => q.Id).Select(q => q.Id).Take(5).ToListAsync();
            leaving = await db.Questions.Where(q => q.Level == QuestionLevel.Easy).OrderBy(q => q.Id).Select(q => q.Id).Take(3).ToListAsync();
            archived = await db.Questions.Where(q => q.Level == QuestionLevel.Easy).OrderByDescending(q => q.Id).Select(q => q.Id).Take(2).ToListAsync();
        }

        var bank = _database.Get<BankService>();
        await bank.BulkAsync(joining, new SetLevel(QuestionLevel.Easy));
        await bank.BulkAsync(leaving, new SetLevel(QuestionLevel.Medium));
        await bank.BulkAsync(archived, new SetArchived(true));
        var after = await PractiseAllAsync(practice, easy);

        await using var check = _database.CreateContext();
        var expected = await check.Questions.Where(q => q.Level == QuestionLevel.Easy && !q.IsArchived).Select(q => q.Id).OrderBy(id => id).ToListAsync();
        Assert.Equal(expected, after.Order());
        Assert.Equal(before.Count + joining.Count - leaving.Count - archived.Count, after.Count);
        Assert.Subset(after.ToHashSet(), joining.ToHashSet());
    }

    private static async Task<List<int>> PractiseAllAsync(PracticeService practice, PracticeFilter filter)
    {
        var step = await practice.StartAsync(Learner, filter);
        var shown = new List<int>();
        while (step.Question is { } question)
        {
            shown.Add(question.Id);
            step = await practice.NextAsync(Learner, step.SessionId);
        }

        return shown;
    }

    [Fact]
    public async Task Session_SubCategoriesWinOverCategories_AndLevelsFilter()
    {
        int categoryId, subCategoryId;
        await using (var db = _database.CreateContext())
        {
            categoryId = await db.Categories.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync();
            subCategoryId = await db.SubCategories.OrderByDescending(s => s.Id).Select(s => s.Id).FirstAsync();
        }

        var practice = _database.Get<PracticeService>();
        var step = await practice.StartAsync(Learner, new PracticeFilter(_groupId, _subjectId, [categoryId], [subCategoryId], [QuestionLevel.Easy]));
        var shown = new List<QuestionRecord>();
        while (step.Question is { } question)
        {
            shown.Add(question);
            step = await practice.NextAsync(Learner, step.SessionId);
        }

        await using var check = _database.CreateContext();
        var expected = await check.Questions.CountAsync(q => q.SubCategoryId == subCategoryId && q.Level == QuestionLevel.Easy);
        Assert.Equal(expected, shown.Count);
        Assert.True(expected > 0);
        Assert.All(shown, q => Assert.Equal(QuestionLevel.Easy, q.Level));
    }

    // SQLite's synchronous pragma.
    [SqliteOnly]
    [Fact]
    public async Task Steps_LeaveEveryConnectionFlushingItsCommits()
    {
        // A step's own commit skips the flush; the answer saves on the same pooled connections must not.
        var practice = _database.Get<PracticeService>();
        var step = await practice.StartAsync(Learner, new PracticeFilter(_groupId, _subjectId, [], [], []));
        await practice.NextAsync(Learner, step.SessionId);

        await using var db = _database.CreateContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(2L, await command.ExecuteScalarAsync()); // FULL
        Assert.NotNull(await db.PracticeSessions.SingleAsync(s => s.Id == step.SessionId));
    }

    [Fact]
    public async Task Session_IsKeptInTheDatabase_AndEnds()
    {
        var step = await _database.Get<PracticeService>().StartAsync(Learner, new PracticeFilter(_groupId, _subjectId, [], [], []));

        // Another service instance (as after a restart) continues the same session.
        var later = new PracticeService(_database.CreateFactory(), _database.Get<QuestionService>(), _database.Get<TaggedCache>(), TimeProvider.System, _database.Get<ReviewRecorder>());
        var next = await later.NextAsync(Learner, step.SessionId);
        Assert.NotEqual(step.Question!.Id, next.Question!.Id);

        await later.EndAsync(Learner, step.SessionId);
        await Assert.ThrowsAsync<PracticeSessionNotFoundException>(() => later.NextAsync(Learner, step.SessionId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("nope")]
    public async Task Next_UnknownSession_Throws(string? id) =>
        await Assert.ThrowsAsync<PracticeSessionNotFoundException>(() => _database.Get<PracticeService>().NextAsync(Learner, id));

    [Fact]
    public async Task Session_UnusedForItsLifetime_Expires_AndUseKeepsItAlive()
    {
        var clock = new ManualClock();
        var practice = new PracticeService(_database.CreateFactory(), _database.Get<QuestionService>(), _database.Get<TaggedCache>(), clock, _database.Get<ReviewRecorder>());
        var step = await practice.StartAsync(Learner, new PracticeFilter(_groupId, _subjectId, [], [], []));

        clock.Now += PracticeSession.Lifetime - TimeSpan.FromMinutes(1);
        await practice.NextAsync(Learner, step.SessionId);
        clock.Now += PracticeSession.Lifetime - TimeSpan.FromMinutes(1);
        await practice.NextAsync(Learner, step.SessionId);
        clock.Now += PracticeSession.Lifetime + TimeSpan.FromMinutes(1);

        await Assert.ThrowsAsync<PracticeSessionNotFoundException>(() => practice.NextAsync(Learner, step.SessionId));
    }

    [Fact]
    public async Task Session_OfAnotherLearner_IsNotFound()
    {
        var step = await _database.Get<PracticeService>().StartAsync(Learner, new PracticeFilter(_groupId, _subjectId, [], [], []));

        await Assert.ThrowsAsync<PracticeSessionNotFoundException>(() => _database.Get<PracticeService>().NextAsync(Learner.Student("someone else"), step.SessionId));
        await Assert.ThrowsAsync<PracticeSessionNotFoundException>(() => _database.Get<PracticeService>().NextAsync(Learner.WithAccessKey("12345678"), step.SessionId));
    }

    [Fact]
    public async Task Practice_WhileTheStudentsAttemptRuns_IsRefused_AndOpensAgainPastItsDeadline()
    {
        var clock = new ManualClock();
        var practice = new PracticeService(_database.CreateFactory(), _database.Get<QuestionService>(), _database.Get<TaggedCache>(), clock, _database.Get<ReviewRecorder>());
        var (student, other) = (Learner.Student(await AddUserAsync("ana@school.test")), Learner.Student(await AddUserAsync("ben@school.test")));
        var filter = new PracticeFilter(_groupId, _subjectId, [], [], []);
        var step = await practice.StartAsync(student, filter);
        int attemptId;
        await using (var db = _database.CreateContext())
        {
            var quiz = new Quiz { Title = "Timed", TimeLimitMinutes = 30 };
            db.Quizzes.Add(quiz);
            await db.SaveChangesAsync();
            var attempt = new Attempt
            {
                QuizId = quiz.Id,
                StudentId = student.Id,
                Number = 1,
                State = AttemptState.InProgress,
                StartedAt = clock.Now.UtcDateTime,
                Deadline = clock.Now.UtcDateTime.AddMinutes(30),
            };
            db.Attempts.Add(attempt);
            await db.SaveChangesAsync();
            attemptId = attempt.Id;
        }

        var refused = await Assert.ThrowsAsync<AttemptInProgressException>(() => practice.NextAsync(student, step.SessionId));
        Assert.Equal(attemptId, refused.AttemptId);
        Assert.Equal(attemptId, await practice.AttemptInProgressAsync(student));
        Assert.NotNull((await practice.StartAsync(other, filter)).Question);

        // Past its deadline the attempt is as good as submitted: practice goes on.
        clock.Now += TimeSpan.FromMinutes(30);
        Assert.NotNull((await practice.NextAsync(student, step.SessionId)).Question);
        Assert.Null(await practice.AttemptInProgressAsync(student));
    }

    private async Task<string> AddUserAsync(string email)
    {
        await using var db = _database.CreateContext();
        var user = new ApplicationUser { UserName = email, Email = email };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
