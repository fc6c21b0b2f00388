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

namespace EduLoop.Tests.Domain;

public sealed partial class AttemptServiceTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Science/Physics/Motion

        ::Capital::What is the capital of France? {=Paris ~Lyon ~Nice}

        ::Sky::The sky is green. {F}

        ::Essay::Describe a river. {}

        ::Pool A::Pool question A? {=a ~b}

        ::Pool B::Pool question B? {=a ~b}

        ::Pool C::Pool question C? {=a ~b}
        """;

    private sealed class FakeClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly FakeClock _clock = new();
    private DomainDatabase _database = null!;
    private AttemptService _attempts = null!;
    private AnswerWriter _writer = null!;
    private string _student = null!;
    private int _class;
    private int _motion;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null);
        _writer = new AnswerWriter(_database.CreateFactory(), _clock, _database.Get<EduLoop.Domain.Caching.DataChanges>());
        _attempts = new AttemptService(_database.CreateFactory(), _writer, _clock, _database.Get<EduLoop.Domain.Learning.ReviewRecorder>());
        _student = await AddStudentAsync("ana@school.test");
        _class = (await _database.Get<ClassService>().CreateAsync("9A", "")).Id;
        await JoinAsync(_student);
        await using var db = _database.CreateContext();
        _motion = await db.Categories.Where(c => c.Name == "Motion").Select(c => c.Id).SingleAsync();
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<string> AddStudentAsync(string email)
    {
        await using var db = _database.CreateContext();
        var user = new ApplicationUser { UserName = email, Email = email, DisplayName = email };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task JoinAsync(string student)
    {
        await using var db = _database.CreateContext();
        db.ClassMemberships.Add(new ClassMembership { SchoolClassId = _class, UserId = student, JoinedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
    }

    private async Task<int> IdOfAsync(string title)
    {
        await using var db = _database.CreateContext();
        return await db.Questions.Where(q => q.Title == title).Select(q => q.Id).SingleAsync();
    }

    private async Task<int> QuizAsync(Func<QuizDraft, QuizDraft>? change = null, params SlotDraft[] slots)
    {
        var draft = new QuizDraft("Quiz", slots.Length > 0 ? slots : [new SlotDraft(QuestionId: await IdOfAsync("Capital")), new SlotDraft(QuestionId: await IdOfAsync("Sky"))])
        {
            ClassIds = [_class],
            AttemptsAllowed = 0,
        };
        return await new QuizService(_database.CreateFactory(), _clock).CreateAsync(change?.Invoke(draft) ?? draft, null);
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public async Task Start_FreezesTheQuestions_SoLaterEditsDoNotChangeTheAttempt()
    {
        var quiz = await QuizAsync();
        var attempt = await _attempts.StartAsync(quiz, _student);

        var bank = _database.Get<BankService>();
        var capital = await bank.GetAsync(await IdOfAsync("Capital"));
        await bank.SaveAsync(capital with { Stem = "Changed text?" }, null);

        var resumed = await _attempts.StartAsync(quiz, _student);
        Assert.Equal(attempt.Id, resumed.Id);
        Assert.Equal("What is the capital of France?", resumed.Questions.Single(q => q.QuestionId == capital.Id).Stem);
        Assert.Equal([1, 2], resumed.Questions.Select(q => q.Position));
        Assert.Equal(2m, resumed.MaxScore);
    }

    [Fact]
    public async Task TenSimultaneousStarts_MakeOneAttempt()
    {
        var quiz = await QuizAsync();

        var started = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => _attempts.StartAsync(quiz, _student))));

        Assert.Single(started.Select(a => a.Id).Distinct());
        await using var db = _database.CreateContext();
        Assert.Equal(1, await db.Attempts.CountAsync());
    }

    [Fact]
    public async Task Draws_NeverRepeatInAnAttempt_AndPreferWhatTheStudentHasSeenLeast()
    {
        var quiz = await QuizAsync(null, new SlotDraft(DrawCount: 2, CategoryId: _motion), new SlotDraft(QuestionId: await IdOfAsync("Pool A")));
        var seen = new List<int>();
        var pool = new[] { await IdOfAsync("Pool A"), await IdOfAsync("Pool B"), await IdOfAsync("Pool C"), await IdOfAsync("Capital"), await IdOfAsync("Sky"), await IdOfAsync("Essay") };
        for (var i = 0; i < 3; i++)
        {
            var attempt = await _attempts.StartAsync(quiz, _student);
            var ids = attempt.Questions.Select(q => q.QuestionId).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            seen.AddRange(ids.Take(2));
            await _attempts.SubmitAsync(attempt.Id, _student);
        }

        // Five drawable questions besides the fixed one, two drawn per attempt: three attempts show each at least once.
        Assert.Equal(pool.Where(p => p != pool[0]).Order(), seen.Distinct().Where(p => p != pool[0]).Order());
    }

    [Fact]
    public async Task Answers_NewerNumbersWin_OlderOnesAreRefused_AndOtherStudentsSeeNothing()
    {
        var quiz = await QuizAsync();
        var attempt = await _attempts.StartAsync(quiz, _student);
        var other = await AddStudentAsync("ben@school.test");

        Assert.Equal(2, await _attempts.SaveAnswerAsync(attempt.Id, _student, 1, Json("\"Lyon\""), 2));
        var stale = await Assert.ThrowsAsync<StaleAnswerException>(() => _attempts.SaveAnswerAsync(attempt.Id, _student, 1, Json("\"Nice\""), 1));
        await Assert.ThrowsAsync<NotFoundException>(() => _attempts.SaveAnswerAsync(attempt.Id, other, 1, Json("\"Paris\""), 9));
        await Assert.ThrowsAsync<NotFoundException>(() => _attempts.SubmitAsync(attempt.Id, other));

        Assert.Equal(2, stale.Current);
        await using var db = _database.CreateContext();
        Assert.Equal("\"Lyon\"", await db.AttemptQuestions.Where(q => q.AttemptId == attempt.Id && q.Position == 1).Select(q => q.Response).SingleAsync());
    }

    [Fact]
    public async Task Submit_GradesOnce_EvenWhenClickedTenTimes()
    {
        var quiz = await QuizAsync(null, new SlotDraft(QuestionId: await IdOfAsync("Capital"), Points: 2m), new SlotDraft(QuestionId: await IdOfAsync("Sky")));
        var attempt = await _attempts.StartAsync(quiz, _student);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, attempt.Questions.Single(q => q.Type == QuestionType.Mcq).Position, Json("\"Paris\""), 1);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, attempt.Questions.Single(q => q.Type == QuestionType.TrueFalse).Position, Json("true"), 1);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => _attempts.SubmitAsync(attempt.Id, _student))));

        Assert.All(results, r => Assert.Equal((2m, 3m, false), (r.Score!.Value, r.MaxScore, r.NeedsGrading)));
        await Assert.ThrowsAsync<AttemptClosedException>(() => _attempts.SaveAnswerAsync(attempt.Id, _student, 1, Json("\"Lyon\""), 5));
    }

    [Fact]
    public async Task SequentialNavigation_RefusesAQuestionBeforeTheFurthestAnswered_FreeNavigationDoesNot()
    {
        var oneWay = await QuizAsync(d => d with { OneQuestionPerPage = true, SequentialNavigation = true });
        var attempt = await _attempts.StartAsync(oneWay, _student);
        var (first, second) = (attempt.Questions[0], attempt.Questions[1]);

        // Skipping the first question is allowed; once the second is answered, the first is passed.
        await _attempts.SaveAnswerAsync(attempt.Id, _student, second.Position, Json(AnswerFor(second)), 1);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, second.Position, Json(AnswerFor(second)), 2);
        await Assert.ThrowsAsync<QuestionPassedException>(() => _attempts.SaveAnswerAsync(attempt.Id, _student, first.Position, Json(AnswerFor(first)), 1));
        await using (var db = _database.CreateContext())
        {
            Assert.Null(await db.AttemptQuestions.Where(q => q.AttemptId == attempt.Id && q.Position == first.Position).Select(q => q.Response).SingleAsync());
        }

        await _attempts.SubmitAsync(attempt.Id, _student);
        var free = await QuizAsync(d => d with { OneQuestionPerPage = true });
        var other = await _attempts.StartAsync(free, _student);
        await _attempts.SaveAnswerAsync(other.Id, _student, other.Questions[1].Position, Json(AnswerFor(other.Questions[1])), 1);
        Assert.Equal(1, await _attempts.SaveAnswerAsync(other.Id, _student, other.Questions[0].Position, Json(AnswerFor(other.Questions[0])), 1));
    }

    private static string AnswerFor(AttemptQuestion question) => question.Type == QuestionType.Mcq ? "\"Paris\"" : "true";

    [Fact]
    public async Task AnEssay_WaitsForATeachersGrade()
    {
        var quiz = await QuizAsync(null, new SlotDraft(QuestionId: await IdOfAsync("Essay")), new SlotDraft(QuestionId: await IdOfAsync("Sky")));
        var attempt = await _attempts.StartAsync(quiz, _student);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, attempt.Questions.Single(q => q.Type == QuestionType.Writing).Position, Json("\"Rivers flow.\""), 1);

        var result = await _attempts.SubmitAsync(attempt.Id, _student);

        Assert.True(result.NeedsGrading);
        Assert.Null(result.Score);
    }

    [Fact]
    public async Task TheServersClock_ClosesTheAttempt_AndOverdueAttemptsAreSubmittedWithWhatWasSaved()
    {
        var quiz = await QuizAsync(d => d with { TimeLimitMinutes = 10 });
        var attempt = await _attempts.StartAsync(quiz, _student);
        var capital = attempt.Questions.Single(q => q.Type == QuestionType.Mcq).Position;
        await _attempts.SaveAnswerAsync(attempt.Id, _student, capital, Json("\"Paris\""), 1);
        Assert.Equal(_clock.Now.UtcDateTime.AddMinutes(10), attempt.Deadline);

        _clock.Now = _clock.Now.AddMinutes(9);
        Assert.Empty(await _attempts.OverdueAsync());
        _clock.Now = _clock.Now.AddMinutes(1).AddSeconds(1);
        await Assert.ThrowsAsync<AttemptClosedException>(() => _attempts.SaveAnswerAsync(attempt.Id, _student, capital, Json("\"Lyon\""), 2));

        Assert.Equal([attempt.Id], await _attempts.OverdueAsync());
        await _attempts.SubmitOverdueAsync(attempt.Id);
        await using var db = _database.CreateContext();
        var submitted = await db.Attempts.SingleAsync(a => a.Id == attempt.Id);
        Assert.Equal((AttemptState.Graded, 1m), (submitted.State, submitted.Score!.Value));
    }

    [Fact]
    public async Task TheCloseTime_CapsTheDeadline_AndClosedOrForeignQuizzesCannotStart()
    {
        var closesSoon = await QuizAsync(d => d with { TimeLimitMinutes = 60, ClosesAt = _clock.Now.UtcDateTime.AddMinutes(5) });
        var notYet = await QuizAsync(d => d with { OpensAt = _clock.Now.UtcDateTime.AddDays(1) });
        var once = await QuizAsync(d => d with { AttemptsAllowed = 1 });
        var stranger = await AddStudentAsync("cara@school.test");

        Assert.Equal(_clock.Now.UtcDateTime.AddMinutes(5), (await _attempts.StartAsync(closesSoon, _student)).Deadline);
        await Assert.ThrowsAsync<QuizUnavailableException>(() => _attempts.StartAsync(notYet, _student));
        await Assert.ThrowsAsync<NotFoundException>(() => _attempts.StartAsync(once, stranger));
        var first = await _attempts.StartAsync(once, _student);
        await _attempts.SubmitAsync(first.Id, _student);
        await Assert.ThrowsAsync<QuizUnavailableException>(() => _attempts.StartAsync(once, _student));
        var classmate = await AddStudentAsync("dan@school.test");
        await JoinAsync(classmate);
        _clock.Now = _clock.Now.AddMinutes(6);
        var closed = await Assert.ThrowsAsync<QuizUnavailableException>(() => _attempts.StartAsync(closesSoon, classmate));
        Assert.Equal("The quiz is closed.", closed.Message);
    }
}
