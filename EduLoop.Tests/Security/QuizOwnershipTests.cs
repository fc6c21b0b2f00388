using System.Text;
using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Security;

/// <summary>
/// Who may change what (docs/decisions/0005-who-may-change-what.md): a quiz is changed, graded and
/// regraded by its author, its co-teachers and admins; every other teacher is refused and nothing in
/// the database changes, though they may read, duplicate and see the results.
/// </summary>
public sealed class QuizOwnershipTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Geography/Europe/Capitals

        ::Capital::What is the capital of France? {=Paris ~Lyon ~Nice}

        ::Essay::Describe a river. {}
        """;

    private DomainDatabase _database = null!;
    private readonly Dictionary<string, string> _users = [];
    private int _class;
    private int _otherClass;
    private int _quiz;
    private int _essayAnswer;
    private int _capital;

    private QuizService Quizzes => _database.Get<QuizService>();

    private GradingService Grading => _database.Get<GradingService>();

    private Actor As(string who) => who == "admin" ? Actor.Admin(_users[who]) : Actor.Teacher(_users[who]);

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null);
        var accounts = _database.Get<UserAdminService>();
        foreach (var (who, role) in new[] { ("author", Roles.Teacher), ("co", Roles.Teacher), ("other", Roles.Teacher), ("admin", Roles.Admin), ("student", Roles.Student) })
        {
            _users[who] = (await accounts.CreateAsync(new NewUser($"{who}@school.test", $"Name of {who}", role, "long enough passphrase"))).Id;
        }

        var classes = _database.Get<ClassService>();
        _class = (await classes.CreateAsync("9A", "")).Id;
        _otherClass = (await classes.CreateAsync("9B", "")).Id;
        await using (var db = _database.CreateContext())
        {
            db.ClassMemberships.Add(new ClassMembership { SchoolClassId = _class, UserId = _users["student"], JoinedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            _capital = await db.Questions.Where(q => q.Title == "Capital").Select(q => q.Id).SingleAsync();
        }

        _quiz = await Quizzes.CreateAsync(await DraftAsync() with { CoTeacherIds = [_users["co"]] }, _users["author"]);

        var attempts = _database.Get<AttemptService>();
        var attempt = await attempts.StartAsync(_quiz, _users["student"]);
        await attempts.SaveAnswerAsync(attempt.Id, _users["student"], 1, JsonDocument.Parse("\"Lyon\"").RootElement, 1);
        await attempts.SaveAnswerAsync(attempt.Id, _users["student"], 2, JsonDocument.Parse("\"The Seine flows through Paris.\"").RootElement, 2);
        await attempts.SubmitAsync(attempt.Id, _users["student"]);
        await using var read = _database.CreateContext();
        _essayAnswer = await read.AttemptQuestions.Where(q => q.AttemptId == attempt.Id && q.Position == 2).Select(q => q.Id).SingleAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<QuizDraft> DraftAsync()
    {
        await using var db = _database.CreateContext();
        var essay = await db.Questions.Where(q => q.Title == "Essay").Select(q => q.Id).SingleAsync();
        return new QuizDraft("Rivers and capitals", [new SlotDraft(QuestionId: _capital), new SlotDraft(QuestionId: essay, Points: 4m)])
        {
            ClassIds = [_class],
            TimeLimitMinutes = 30,
            PassPercent = 50m,
            ExtraMinutes = new Dictionary<string, int> { [_users["student"]] = 10 },
        };
    }

    /// <summary>Everything of the quiz a refused request might have touched, as one comparable value.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var db = _database.CreateContext();
        var quiz = await db.Quizzes.AsNoTracking().Include(q => q.Slots).Include(q => q.Assignments).Include(q => q.ExtraTimes).Include(q => q.CoTeachers)
            .SingleOrDefaultAsync(q => q.Id == _quiz);
        var answers = await db.AttemptQuestions.AsNoTracking().Where(q => db.Attempts.Any(a => a.Id == q.AttemptId && a.QuizId == _quiz))
            .OrderBy(q => q.Id).Select(q => new { q.Id, q.Score, q.Comment, q.GradedById, q.Response }).ToListAsync();
        var attempts = await db.Attempts.AsNoTracking().Where(a => a.QuizId == _quiz).OrderBy(a => a.Id).Select(a => new { a.Id, a.State, a.Score, a.NeedsGrading }).ToListAsync();
        return JsonSerializer.Serialize(new
        {
            quiz?.Title,
            quiz?.UpdatedAt,
            quiz?.TimeLimitMinutes,
            quiz?.CreatedById,
            Slots = quiz?.Slots.OrderBy(s => s.Position).Select(s => $"{s.Position}:{s.QuestionId}:{s.Points}"),
            Classes = quiz?.Assignments.Select(a => a.SchoolClassId).Order(),
            Extra = quiz?.ExtraTimes.Select(e => $"{e.StudentId}:{e.Minutes}").Order(),
            CoTeachers = quiz?.CoTeachers.Select(c => c.TeacherId).Order(),
            answers,
            attempts,
        });
    }

    public static TheoryData<string> Changes => ["title", "classes", "extra time", "slots"];

    private async Task<QuizDraft> ChangedAsync(string change)
    {
        var draft = await DraftAsync();
        return change switch
        {
            "title" => draft with { Title = "Taken over" },
            "classes" => draft with { ClassIds = [_class, _otherClass] },
            "extra time" => draft with { ExtraMinutes = new Dictionary<string, int>() },
            _ => draft with { Slots = [new SlotDraft(QuestionId: _capital)] },
        };
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task UpdateAsync_AnotherTeacher_IsRefusedAndChangesNothing(string change)
    {
        var before = await SnapshotAsync();

        var refusal = await Assert.ThrowsAsync<ForbiddenException>(async () => await Quizzes.UpdateAsync(_quiz, await ChangedAsync(change), As("other")));

        Assert.Contains("author", refusal.Message);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("author")]
    [InlineData("co")]
    [InlineData("admin")]
    public async Task UpdateAsync_AuthorCoTeacherOrAdmin_SavesTheChange(string who)
    {
        await Quizzes.UpdateAsync(_quiz, await ChangedAsync("classes") with { Title = $"Changed by {who}" }, As(who));

        var quiz = await Quizzes.GetAsync(_quiz);
        Assert.Equal($"Changed by {who}", quiz.Title);
        Assert.Equal([_class, _otherClass], quiz.Assignments.Select(a => a.SchoolClassId).Order());
        Assert.Equal([_users["co"]], quiz.CoTeachers.Select(c => c.TeacherId));
    }

    [Fact]
    public async Task UpdateAsync_CoTeacherChoosingCoTeachers_IsRefusedAndChangesNothing()
    {
        var before = await SnapshotAsync();

        await Assert.ThrowsAsync<ForbiddenException>(async () =>
            await Quizzes.UpdateAsync(_quiz, await DraftAsync() with { CoTeacherIds = [_users["co"], _users["other"]] }, As("co")));

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("author")]
    [InlineData("admin")]
    public async Task UpdateAsync_AuthorOrAdminChoosingCoTeachers_ReplacesThem(string who)
    {
        await Quizzes.UpdateAsync(_quiz, await DraftAsync() with { CoTeacherIds = [_users["other"]] }, As(who));

        Assert.Equal([_users["other"]], (await Quizzes.GetAsync(_quiz)).CoTeachers.Select(c => c.TeacherId));
        Assert.Equal(["Name of other"], (await Quizzes.OwnershipAsync(_quiz)).CoTeachers.Select(t => t.Name));
        await Quizzes.UpdateAsync(_quiz, await DraftAsync() with { Title = "Now mine too" }, As("other"));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Quizzes.UpdateAsync(_quiz, await DraftAsync(), As("co")));
    }

    [Theory]
    [InlineData("student")]
    [InlineData("admin")]
    [InlineData("nobody")]
    public async Task UpdateAsync_CoTeacherWhoIsNotATeacher_IsRefusedAndChangesNothing(string who)
    {
        var before = await SnapshotAsync();
        var id = _users.GetValueOrDefault(who, "no-such-user");

        var refusal = await Assert.ThrowsAsync<DomainValidationException>(async () =>
            await Quizzes.UpdateAsync(_quiz, await DraftAsync() with { CoTeacherIds = [id] }, As("author")));

        Assert.Equal("co_teachers", refusal.Field);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task TeachersAsync_ListsTeachersOnly_ByName()
    {
        var teachers = await Quizzes.TeachersAsync();

        Assert.Equal(["Name of author", "Name of co", "Name of other"], teachers.Select(t => t.Name));
        Assert.Equal("Name of author", (await Quizzes.OwnershipAsync(_quiz)).Author!.Name);
    }

    [Fact]
    public async Task DeleteAsync_AnotherTeacher_IsRefusedAndKeepsTheQuizAndItsAttempts()
    {
        var before = await SnapshotAsync();

        await Assert.ThrowsAsync<ForbiddenException>(() => Quizzes.DeleteAsync(_quiz, As("other")));

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("author")]
    [InlineData("co")]
    [InlineData("admin")]
    public async Task DeleteAsync_AuthorCoTeacherOrAdmin_DeletesTheQuiz(string who)
    {
        await Quizzes.DeleteAsync(_quiz, As(who));

        await Assert.ThrowsAsync<NotFoundException>(() => Quizzes.GetAsync(_quiz));
        await using var db = _database.CreateContext();
        Assert.False(await db.Attempts.AnyAsync(a => a.QuizId == _quiz));
    }

    [Fact]
    public async Task GradeAsync_AnotherTeacher_IsRefusedAndTheEssayStaysUngraded()
    {
        var before = await SnapshotAsync();

        await Assert.ThrowsAsync<ForbiddenException>(() => Grading.GradeAsync(_essayAnswer, 4m, "Taken over", As("other")));

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("author")]
    [InlineData("co")]
    [InlineData("admin")]
    public async Task GradeAsync_AuthorCoTeacherOrAdmin_GradesTheEssay(string who)
    {
        await Grading.GradeAsync(_essayAnswer, 3m, "Name a second river.", As(who));

        await using var db = _database.CreateContext();
        var answer = await db.AttemptQuestions.SingleAsync(q => q.Id == _essayAnswer);
        Assert.Equal((3m, _users[who]), (answer.Score!.Value, answer.GradedById!));
    }

    [Fact]
    public async Task QueueAsync_AnotherTeacher_ShowsNoneOfTheQuizsEssays()
    {
        Assert.Empty(await Grading.QueueAsync(As("other")));
        Assert.Empty(await Grading.QueueAsync(As("other"), _quiz));
        Assert.Single(await Grading.QueueAsync(As("co")));
        Assert.Single(await Grading.QueueAsync(As("admin"), _quiz));
    }

    /// <summary>The bank is shared: another teacher may correct the key; the regrade of this quiz's attempts stays its owners'.</summary>
    [Fact]
    public async Task RegradeAsync_AnotherTeacher_IsRefusedAndTheScoresStay()
    {
        var bank = _database.Get<BankService>();
        var capital = await bank.GetAsync(_capital);
        await bank.SaveAsync(capital with { Body = new QuestionBody { Choices = [new Choice("Paris", 1m), new Choice("Lyon", 0.5m), new Choice("Nice", 0m)] } }, _users["other"]);
        var before = await SnapshotAsync();

        var preview = await Grading.PreviewRegradeAsync(_capital, As("other"));
        await Assert.ThrowsAsync<ForbiddenException>(() => Grading.RegradeAsync(_capital, As("other")));

        Assert.Equal((0, 1), (preview.Changes.Count, preview.NotYours));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("author")]
    [InlineData("co")]
    [InlineData("admin")]
    public async Task RegradeAsync_AuthorCoTeacherOrAdmin_RegradesTheAttempts(string who)
    {
        var bank = _database.Get<BankService>();
        var capital = await bank.GetAsync(_capital);
        await bank.SaveAsync(capital with { Body = new QuestionBody { Choices = [new Choice("Paris", 1m), new Choice("Lyon", 0.5m), new Choice("Nice", 0m)] } }, _users["other"]);

        var preview = await Grading.PreviewRegradeAsync(_capital, As(who));
        Assert.Equal((1, 0), (preview.Changes.Count, preview.NotYours));
        Assert.Equal(1, await Grading.RegradeAsync(_capital, As(who)));

        await using var db = _database.CreateContext();
        Assert.Equal(0.5m, await db.AttemptQuestions.Where(q => q.QuestionId == _capital).Select(q => q.Score).SingleAsync());
    }

    [Fact]
    public async Task DuplicateAsync_AnotherTeacher_CopiesSettingsAndSlotsButNotClassesOrAttempts()
    {
        var before = await SnapshotAsync();

        var copy = await Quizzes.GetAsync(await Quizzes.DuplicateAsync(_quiz, As("other")));

        var original = await Quizzes.GetAsync(_quiz);
        Assert.Equal(("Rivers and capitals (copy)", _users["other"], 30, 50m), (copy.Title, copy.CreatedById!, copy.TimeLimitMinutes!.Value, copy.PassPercent!.Value));
        Assert.Equal(original.Slots.Select(s => (s.Position, s.QuestionId, s.Points)), copy.Slots.Select(s => (s.Position, s.QuestionId, s.Points)));
        Assert.Empty(copy.Assignments);
        Assert.Empty(copy.ExtraTimes);
        Assert.Empty(copy.CoTeachers);
        await using (var db = _database.CreateContext())
        {
            Assert.False(await db.Attempts.AnyAsync(a => a.QuizId == copy.Id));
        }

        Assert.Equal(before, await SnapshotAsync());
        await Quizzes.UpdateAsync(copy.Id, await DraftAsync() with { Title = "My own version" }, As("other"));
    }

    [Fact]
    public async Task ListAsync_MarksOnlyTheQuizzesTheTeacherMayChange()
    {
        var own = await Quizzes.CreateAsync(await DraftAsync() with { Title = "Other's quiz" }, _users["other"]);
        var results = _database.Get<QuizResultsService>();

        var list = (await results.ListAsync(As("other"))).ToDictionary(q => q.Id);
        var admin = await results.ListAsync(As("admin"));

        Assert.Equal((false, "Name of author"), (list[_quiz].CanChange, list[_quiz].Author));
        Assert.True(list[own].CanChange);
        Assert.All(admin, q => Assert.True(q.CanChange));
        Assert.Single((await results.ResultsAsync(_quiz)).Attempts);
    }

    [Fact]
    public async Task UpdateAsync_QuizWithoutAnAuthor_IsForAdminsOnly()
    {
        var orphan = await Quizzes.CreateAsync(await DraftAsync() with { Title = "From the command line" }, null);

        await Assert.ThrowsAsync<ForbiddenException>(async () => await Quizzes.UpdateAsync(orphan, await DraftAsync(), As("author")));
        await Quizzes.UpdateAsync(orphan, await DraftAsync(), As("admin"));
    }
}
