using System.Text;
using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Learning;
using EduLoop.Domain.Querying;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Domain.Quizzes.Statistics;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace EduLoop.Tests.Domain.Learning;

/// <summary>
/// Quality sums kept per question as answers are recorded, the flags they raise, the bank's "Needs
/// review" and a teacher's dismissal, on both databases.
/// </summary>
public sealed class QuestionQualityTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Geography/Europe/Capitals

        ::Capital::What is the capital of France? {=Paris ~Lyon ~Nice}

        ::Rivers::Which river flows through Paris? {=Seine ~Rhine}

        ::Blank::Name a river. {=Seine =Loire}
        """;

    private DomainDatabase _database = null!;
    private ReviewRecorder _recorder = null!;
    private QualityService _quality = null!;
    private BankService _bank = null!;
    private readonly List<string> _students = [];

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null);
        _recorder = _database.Get<ReviewRecorder>();
        _quality = _database.Get<QualityService>();
        _bank = _database.Get<BankService>();
        await using var db = _database.CreateContext();
        for (var i = 0; i < 3; i++)
        {
            var user = new ApplicationUser { UserName = $"s{i}@school.test", Email = $"s{i}@school.test", DisplayName = $"Student {i}" };
            db.Users.Add(user);
            _students.Add(user.Id);
        }

        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task QuizAttempts_CountedOneByOne_GiveMoodlesFacilityAndDiscriminationIndex()
    {
        var teacher = _students[0];
        // Forty attempts whose marks differ enough for every question to have a spread and a rest.
        var attempts = Enumerable.Range(0, 40).Select(i => new StatisticsAnswers(i % 3 != 0, i % 5 < 3, (i * 7 % 11) < 6)).ToArray();
        var quiz = await StatisticsQuiz.CreateAsync(_database.Services, _database.CreateContext, teacher, attempts);

        var report = await _database.Get<QuizStatisticsService>().GetAsync(quiz.QuizId);
        await using var db = _database.CreateContext();
        foreach (var slot in report.Slots)
        {
            var sums = await db.QuestionQualities.SingleAsync(q => q.QuestionId == slot.QuestionId);
            Assert.Equal((40, 40, 40), (sums.Responses, sums.QuizShown, sums.Pairs));
            Assert.Equal(slot.Figures.Facility!.Value, sums.Facility!.Value, 9);
            // Moodle's discrimination index is this correlation in percent.
            Assert.Equal(slot.Figures.DiscriminationIndex!.Value, sums.Discrimination!.Value * 100, 6);
        }

        var capital = await db.QuestionQualities.SingleAsync(q => q.QuestionId == quiz.Questions["Capital"]);
        Assert.Equal([attempts.Count(a => a.Capital), attempts.Count(a => !a.Capital)], capital.Picks);
    }

    [Fact]
    public async Task AQuizSubmit_CountsBlanksForQualityOnly_AndEachAnswerWithTheRestOfItsAttempt()
    {
        var (capital, rivers, blank) = (await IdOfAsync("Capital"), await IdOfAsync("Rivers"), await IdOfAsync("Blank"));
        var schoolClass = await _database.Get<ClassService>().CreateAsync("9A", "");
        await using (var db = _database.CreateContext())
        {
            db.ClassMemberships.Add(new ClassMembership { SchoolClassId = schoolClass.Id, UserId = _students[1], JoinedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var quiz = await _database.Get<QuizService>().CreateAsync(
            new QuizDraft("Quiz", [new SlotDraft(QuestionId: capital), new SlotDraft(QuestionId: rivers), new SlotDraft(QuestionId: blank)])
            {
                ClassIds = [schoolClass.Id],
                ShuffleChoices = false,
            }, null);
        var attempts = _database.Get<AttemptService>();
        var attempt = await attempts.StartAsync(quiz, _students[1]);
        var position = attempt.Questions.ToDictionary(q => q.QuestionId, q => q.Position);
        await attempts.SaveAnswerAsync(attempt.Id, _students[1], position[capital], Json("\"Paris\""), 1);
        await attempts.SaveAnswerAsync(attempt.Id, _students[1], position[rivers], Json("\"Rhine\""), 2);

        await attempts.SubmitAsync(attempt.Id, _students[1]);

        await using var check = _database.CreateContext();
        var sums = await check.QuestionQualities.ToDictionaryAsync(q => q.QuestionId);
        Assert.Equal((1, 1, 0, 1.0, 0.0), (sums[capital].QuizShown, sums[capital].Responses, sums[capital].QuizBlank, sums[capital].SumX, sums[capital].SumY));
        Assert.Equal((1, 0.0, 0.5), (sums[rivers].Pairs, sums[rivers].SumX, sums[rivers].SumY));
        Assert.Equal([1, 0, 0], sums[capital].Picks);
        Assert.Equal((1, 1, 0, 0), (sums[blank].QuizShown, sums[blank].QuizBlank, sums[blank].Responses, sums[blank].Pairs));
        // A blank is not a review: no state or log for it.
        Assert.False(await check.ReviewLogs.AnyAsync(l => l.QuestionId == blank));
        Assert.False(await check.ReviewStates.AnyAsync(s => s.QuestionId == blank));
    }

    [Fact]
    public async Task AFlag_ListsTheQuestionUnderNeedsReview_UntilDismissed_AndComesBackWhenTheQuestionChanges()
    {
        var capital = await IdOfAsync("Capital");
        var needsReview = new BankQuery(NeedsReview: true);
        Assert.Equal(0, (await _bank.BrowseAsync(needsReview, new PageRequest(1, 20))).Count);

        // Fifty right answers: too easy, and neither Lyon nor Nice is ever picked.
        await RecordAsync(capital, 50, "Paris");

        var report = await _quality.GetAsync(capital);
        Assert.Equal(
            [(QualityFlags.TooEasy, (string?)null, 50), (QualityFlags.UnusedDistractor, "Lyon", 50), (QualityFlags.UnusedDistractor, "Nice", 50)],
            report.Open.Select(f => (f.Flag, f.Option, f.Count)));
        Assert.Equal([capital], await NeedsReviewAsync());

        await _quality.DismissAsync(capital, QualityFlags.TooEasy);
        Assert.Equal([capital], await NeedsReviewAsync());
        await _quality.DismissAsync(capital, QualityFlags.UnusedDistractor);
        Assert.Empty(await NeedsReviewAsync());
        report = await _quality.GetAsync(capital);
        Assert.Empty(report.Open);
        Assert.Equal([QualityFlags.TooEasy, QualityFlags.UnusedDistractor], report.Dismissed.Select(f => f.Flag).Distinct());

        // More answers keep the dismissal; so do edits that leave the text alone (tags, archive flag).
        await RecordAsync(capital, 5, "Paris");
        var edited = await _bank.GetAsync(capital);
        edited = await _bank.SaveAsync(edited with { Tags = ["capitals"] }, null);
        Assert.Empty(await NeedsReviewAsync());

        // A changed wording starts the sums again: the old evidence and its dismissals no longer apply.
        var body = edited.Body;
        body.Choices = [new("Paris", 1m), new("Lyon", 0m), new("Marseille", 0m)];
        await _bank.SaveAsync(edited with { Body = body }, null);
        Assert.Equal(QualityReport.Empty, await _quality.GetAsync(capital));
        Assert.Empty(await NeedsReviewAsync());
        await RecordAsync(capital, 50, "Paris");
        report = await _quality.GetAsync(capital);
        Assert.Empty(report.Dismissed);
        Assert.Contains(report.Open, f => f.Flag == QualityFlags.TooEasy && f.Count == 50);
        Assert.Equal([capital], await NeedsReviewAsync());
    }

    [Fact]
    public async Task NeedsReview_CombinesWithTheOtherFilters_InThePagerAndTheScrollingList()
    {
        var (capital, rivers) = (await IdOfAsync("Capital"), await IdOfAsync("Rivers"));
        await RecordAsync(capital, 30, "Paris");
        await RecordAsync(rivers, 30, "Rhine");

        var all = new BankQuery(NeedsReview: true);
        Assert.Equal([rivers, capital], (await _bank.BrowseAsync(all, new PageRequest(1, 20))).Items.Select(r => r.Id));
        Assert.Equal([rivers, capital], (await _bank.WindowAsync(new BankScroll(all), 0, 10)).Rows.Select(r => r.Id));
        Assert.Equal([capital], (await _bank.WindowAsync(new BankScroll(all with { Sort = BankSort.Oldest }), 0, 1)).Rows.Select(r => r.Id));
        Assert.Empty((await _bank.BrowseAsync(all with { Type = QuestionType.FillBlank }, new PageRequest(1, 20))).Items);
        Assert.Equal(2, await _bank.CountAsync(new BankSelection(all)));

        var parsed = BankAddress.Read(name => name == "review" ? "true" : null, out var errors);
        Assert.Empty(errors);
        Assert.True(parsed.View.NeedsReview);
        Assert.Equal("?review=true", BankAddress.QueryString(new BankSelection(all)));
    }

    [Fact]
    public async Task Dismiss_RefusesAFlagTheQuestionDoesNotHave_SeveralFlagsAtOnce_AndAMissingQuestion()
    {
        var capital = await IdOfAsync("Capital");
        await RecordAsync(capital, 30, "Paris");

        await Assert.ThrowsAsync<DomainValidationException>(() => _quality.DismissAsync(capital, QualityFlags.TooHard));
        await Assert.ThrowsAsync<DomainValidationException>(() => _quality.DismissAsync(capital, QualityFlags.TooEasy | QualityFlags.TooHard));
        await Assert.ThrowsAsync<DomainValidationException>(() => _quality.DismissAsync(capital, QualityFlags.None));
        await Assert.ThrowsAsync<DomainValidationException>(() => _quality.DismissAsync(capital, (QualityFlags)64));
        await Assert.ThrowsAsync<NotFoundException>(() => _quality.DismissAsync(999_999, QualityFlags.TooEasy));
        await Assert.ThrowsAsync<NotFoundException>(() => _quality.GetAsync(999_999));
        await using var db = _database.CreateContext();
        var sums = await db.QuestionQualities.SingleAsync();
        Assert.Equal((QualityFlags.None, QualityFlags.TooEasy), (sums.Dismissed, sums.OpenFlags));
    }

    [Fact]
    public async Task TwoWritersAtOnce_AsTwoServers_LoseNoCount()
    {
        var capital = await IdOfAsync("Capital");
        await using var second = new ReviewRecorder(_database.CreateFactory(), NullLogger<ReviewRecorder>.Instance);

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            (i % 2 == 0 ? _recorder : second).RecordAsync(Answer(_students[i % 3], capital, i % 4 == 0 ? "Lyon" : "Paris"))));

        await using var db = _database.CreateContext();
        var sums = await db.QuestionQualities.SingleAsync();
        Assert.Equal((60, 45.0), (sums.Responses, sums.ScoreSum));
        Assert.Equal([45, 15, 0], sums.Picks);
    }

    private async Task<List<int>> NeedsReviewAsync() =>
        [.. (await _bank.BrowseAsync(new BankQuery(NeedsReview: true), new PageRequest(1, 20))).Items.Select(r => r.Id)];

    private async Task RecordAsync(int questionId, int count, string pick)
    {
        for (var i = 0; i < count; i++)
        {
            await _recorder.RecordAsync(Answer(_students[i % 3], questionId, pick));
        }
    }

    private static GradedAnswer Answer(string student, int questionId, string pick)
    {
        var right = pick is "Paris" or "Seine";
        return new GradedAnswer(student, questionId, QuestionType.Mcq, DateTime.UtcNow, new AnswerCheck(right, right ? 1m : 0m), right ? Rating.Good : Rating.Again,
            ReviewSource.Practice, Chosen: [pick]);
    }

    private async Task<int> IdOfAsync(string title)
    {
        await using var db = _database.CreateContext();
        return await db.Questions.Where(q => q.Title == title).Select(q => q.Id).SingleAsync();
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;
}
