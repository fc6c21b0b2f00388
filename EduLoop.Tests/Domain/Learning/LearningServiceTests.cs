using System.Text;
using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Caching;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Learning;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain.Learning;

/// <summary>Due today, a student's progress and a class's heatmap, read from stored memory states.</summary>
public sealed class LearningServiceTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Science/Physics/Motion

        ::M1::Motion one? {=a ~b}

        ::M2::Motion two? {=a ~b}

        ::M3::Motion three? {=a ~b}

        ::M4::Motion four? {=a ~b}

        $CATEGORY: Science/Physics/Motion/Speed

        ::S1::Speed one? {=a ~b}

        ::S2::Speed two? {=a ~b}

        $CATEGORY: Maths/Algebra/Basics

        ::A1::Algebra one? {=a ~b}

        ::A2::Algebra two? {=a ~b}
        """;

    private readonly ManualClock _clock = new();
    private DomainDatabase _database = null!;
    private ReviewRecorder _recorder = null!;
    private LearningService _learning = null!;
    private int _class;
    private string _ana = null!;
    private string _ben = null!;
    private string _teacher = null!;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null);
        _recorder = _database.Get<ReviewRecorder>();
        _learning = new LearningService(_database.CreateFactory(), _database.Get<BankService>(), _clock);
        (_ana, _ben, _teacher) = (await AddUserAsync("Ana"), await AddUserAsync("Ben"), await AddUserAsync("Teacher"));
        await using var db = _database.CreateContext();
        var schoolClass = new SchoolClass { Name = "9A" };
        schoolClass.Members.Add(new ClassMembership { UserId = _ana });
        schoolClass.Members.Add(new ClassMembership { UserId = _ben });
        schoolClass.Teachers.Add(new ClassTeacher { TeacherId = _teacher });
        db.SchoolClasses.Add(schoolClass);
        await db.SaveChangesAsync();
        _class = schoolClass.Id;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task DueToday_CountsBySubject_WhatIsDueBeforeTheEndOfTheDay_NotArchivedOrHeldQuestions()
    {
        Assert.Equal(new DueToday(0, []), await _learning.DueTodayAsync(_ana));
        foreach (var title in new[] { "M1", "M2", "M3", "S1", "A1" })
        {
            await ReviewAsync(_ana, title, Rating.Easy);
        }

        await ReviewAsync(_ben, "A2", Rating.Easy);
        _clock.Now += TimeSpan.FromDays(20);
        await SetDueAsync("M3", _clock.Now.UtcDateTime.Date.AddDays(1).AddMinutes(1));
        await SetDueAsync("S1", _clock.Now.UtcDateTime.Date.AddHours(23));
        await using (var db = _database.CreateContext())
        {
            await db.Questions.Where(q => q.Title == "M2").ExecuteUpdateAsync(u => u.SetProperty(q => q.IsArchived, true));
        }

        var due = await _learning.DueTodayAsync(_ana);
        Assert.Equal(3, due.Total);
        Assert.Equal([("Physics", 2), ("Algebra", 1)], due.Subjects.Select(s => (s.Subject, s.Due)));

        // A quiz of Ana's class holds A1 while it is open.
        await new QuizService(_database.CreateFactory(), _clock).CreateAsync(
            new QuizDraft("Algebra quiz", [new SlotDraft(QuestionId: await IdOfAsync("A1"))]) { ClassIds = [_class] }, null);
        Assert.Equal([("Physics", 2)], (await _learning.DueTodayAsync(_ana)).Subjects.Select(s => (s.Subject, s.Due)));
    }

    [Fact]
    public async Task Progress_GivesMasteryAndCoverageByPlace_ReviewsPerDay_AndTheStreak()
    {
        await ReviewAsync(_ana, "M1", Rating.Easy);
        _clock.Now += TimeSpan.FromDays(1);
        await ReviewAsync(_ana, "S1", Rating.Good);
        _clock.Now += TimeSpan.FromDays(1);
        await ReviewAsync(_ana, "S2", Rating.Again);
        await ReviewAsync(_ana, "M1", Rating.Good);

        var progress = await _learning.ProgressAsync(_ana);

        var physics = Assert.Single(progress.Subjects);
        Assert.Equal(("Physics", 3, 6), (physics.Name, physics.Seen, physics.Total));
        var motion = Assert.Single(physics.Children);
        Assert.Equal((3, 6), (motion.Seen, motion.Total));
        var speed = Assert.Single(motion.Children);
        Assert.Equal(("Speed", 2, 2, 1.0), (speed.Name, speed.Seen, speed.Total, speed.Coverage));
        await using (var db = _database.CreateContext())
        {
            var now = _clock.Now.UtcDateTime;
            var states = await db.ReviewStates.Where(s => s.StudentId == _ana).ToListAsync();
            Assert.Equal(states.Average(s => MemoryModel.Default.Retrievability((now - s.LastReview).TotalDays, s.Stability)), physics.Retrievability!.Value, 9);
        }

        Assert.Equal(LearningService.ChartDays, progress.ReviewsPerDay.Count);
        Assert.Equal([1, 1, 2], progress.ReviewsPerDay.TakeLast(3).Select(d => d.Reviews));
        Assert.Equal((3, 2), (progress.Streak, progress.ReviewsToday));
        _clock.Now += TimeSpan.FromDays(1);
        Assert.Equal((3, 0), ((await _learning.ProgressAsync(_ana)).Streak, (await _learning.ProgressAsync(_ana)).ReviewsToday));
        _clock.Now += TimeSpan.FromDays(1);
        Assert.Equal(0, (await _learning.ProgressAsync(_ana)).Streak);
    }

    [Fact]
    public async Task Progress_ListsEveryAttempt_WithItsScoreOnlyWhereTheReviewShowsIt()
    {
        var quizzes = new QuizService(_database.CreateFactory(), _clock);
        var open = await quizzes.CreateAsync(new QuizDraft("Shows scores", [new SlotDraft(QuestionId: await IdOfAsync("A1"))]) { ClassIds = [_class] }, null);
        var hidden = await quizzes.CreateAsync(new QuizDraft("Hides scores", [new SlotDraft(QuestionId: await IdOfAsync("A2"))])
        {
            ClassIds = [_class],
            Review = ReviewTime.Never,
        }, null);
        var attempts = new AttemptService(_database.CreateFactory(), new AnswerWriter(_database.CreateFactory(), _clock, _database.Get<DataChanges>()), _clock, _recorder);
        foreach (var quiz in new[] { open, hidden })
        {
            var attempt = await attempts.StartAsync(quiz, _ana);
            await attempts.SaveAnswerAsync(attempt.Id, _ana, 1, JsonDocument.Parse("\"a\"").RootElement, 1);
            await attempts.SubmitAsync(attempt.Id, _ana);
            _clock.Now += TimeSpan.FromMinutes(5);
        }

        var lines = (await _learning.ProgressAsync(_ana)).Attempts;

        Assert.Equal(["Hides scores", "Shows scores"], lines.Select(l => l.Quiz));
        Assert.Equal((null, false), (lines[0].Score, lines[0].CanReview));
        Assert.Equal((1m, true), (lines[1].Score, lines[1].CanReview));
        Assert.Empty((await _learning.ProgressAsync(_ben)).Attempts);
    }

    [Fact]
    public async Task ClassProgress_IsAHeatmapOfStudentsByTopic_WithTheWeakestTopics_AndWhoHasNotStartedEachQuiz()
    {
        await ReviewAsync(_ana, "S1", Rating.Easy);
        await ReviewAsync(_ben, "S1", Rating.Easy);
        await ReviewAsync(_ana, "M1", Rating.Again);
        await ReviewAsync(_ben, "M2", Rating.Again);
        await ReviewAsync(_ana, "A1", Rating.Good);
        var quiz = await new QuizService(_database.CreateFactory(), _clock).CreateAsync(
            new QuizDraft("Algebra quiz", [new SlotDraft(QuestionId: await IdOfAsync("A2"))]) { ClassIds = [_class] }, null);
        var attempts = new AttemptService(_database.CreateFactory(), new AnswerWriter(_database.CreateFactory(), _clock, _database.Get<DataChanges>()), _clock, _recorder);
        await attempts.StartAsync(quiz, _ben);
        _clock.Now += TimeSpan.FromDays(3);

        var progress = await _learning.ClassProgressAsync(_class, Actor.Teacher(_teacher));

        Assert.Equal(["Basics", "Motion", "Speed"], progress.Topics.Select(t => t.Name));
        Assert.Equal(["Ana", "Ben"], progress.Students.Select(s => s.Name));
        Assert.Equal([1, 1, 1], progress.Students[0].Cells.Select(c => c.Seen));
        Assert.Equal([0, 1, 1], progress.Students[1].Cells.Select(c => c.Seen));
        Assert.Null(progress.Students[1].Cells[0].Retrievability);
        // Motion (both forgot) is weaker than Speed (both knew it); Basics has one student only.
        Assert.Equal(["Motion", "Speed"], progress.Weakest.Select(w => w.Topic.Name));
        Assert.True(progress.Weakest[0].Retrievability < progress.Weakest[1].Retrievability);
        Assert.Equal(["Ana"], Assert.Single(progress.NotStarted).Students);
    }

    [Fact]
    public async Task ClassProgress_IsForTheClassesTeachersAndAdmins()
    {
        var other = await AddUserAsync("Other teacher");

        await Assert.ThrowsAsync<ForbiddenException>(() => _learning.ClassProgressAsync(_class, Actor.Teacher(other)));
        await Assert.ThrowsAsync<NotFoundException>(() => _learning.ClassProgressAsync(404_404, Actor.Admin(other)));
        Assert.Equal("9A", (await _learning.ClassProgressAsync(_class, Actor.Admin(other))).ClassName);
    }

    [Theory]
    [InlineData(0.69)]
    [InlineData(0.98)]
    [InlineData(double.NaN)]
    public async Task DesiredRetention_OutsideItsRange_IsRefused(double retention)
    {
        await Assert.ThrowsAsync<DomainValidationException>(() => _learning.SetDesiredRetentionAsync(_class, retention, Actor.Teacher(_teacher)));
        Assert.Equal(0.9, (await _learning.ClassProgressAsync(_class, Actor.Teacher(_teacher))).DesiredRetention);
    }

    [Fact]
    public async Task DesiredRetention_IsSetByTheClassesTeacher_AndSchedulesTheNextAnswer()
    {
        var stranger = Actor.Teacher(await AddUserAsync("Stranger"));
        await Assert.ThrowsAsync<ForbiddenException>(() => _learning.SetDesiredRetentionAsync(_class, 0.8, stranger));
        await _learning.SetDesiredRetentionAsync(_class, 0.8, Actor.Teacher(_teacher));

        await ReviewAsync(_ana, "M1", Rating.Easy);

        Assert.Equal(0.8, (await _learning.ClassProgressAsync(_class, Actor.Teacher(_teacher))).DesiredRetention);
        await using var db = _database.CreateContext();
        var state = await db.ReviewStates.SingleAsync();
        Assert.Equal(MemoryModel.Default.NextIntervalDays(state.Stability, 0.8, 36_500), (state.Due - state.LastReview).TotalDays);
    }

    [Fact]
    public void Streak_CountsDaysInARow_EndingTodayOrYesterday()
    {
        var today = new DateOnly(2026, 12, 7);
        Assert.Equal(0, LearningService.Streak(new Dictionary<DateOnly, int>(), today));
        Assert.Equal(2, LearningService.Streak(new Dictionary<DateOnly, int> { [today.AddDays(-1)] = 3, [today.AddDays(-2)] = 1, [today.AddDays(-4)] = 9 }, today));
        Assert.Equal(1, LearningService.Streak(new Dictionary<DateOnly, int> { [today] = 1, [today.AddDays(-2)] = 1 }, today));
    }

    private async Task ReviewAsync(string student, string title, Rating rating) =>
        await _recorder.RecordAsync(new GradedAnswer(student, await IdOfAsync(title), QuestionType.Mcq, _clock.Now.UtcDateTime,
            new AnswerCheck(rating != Rating.Again, rating == Rating.Again ? 0m : 1m), rating, ReviewSource.Practice));

    private async Task SetDueAsync(string title, DateTime due)
    {
        var id = await IdOfAsync(title);
        await using var db = _database.CreateContext();
        await db.ReviewStates.Where(s => s.QuestionId == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Due, due));
    }

    private async Task<string> AddUserAsync(string name)
    {
        await using var db = _database.CreateContext();
        var user = new ApplicationUser { UserName = $"{name.Replace(' ', '.')}@school.test", Email = $"{name.Replace(' ', '.')}@school.test", DisplayName = name };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task<int> IdOfAsync(string title)
    {
        await using var db = _database.CreateContext();
        return await db.Questions.Where(q => q.Title == title).Select(q => q.Id).SingleAsync();
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
