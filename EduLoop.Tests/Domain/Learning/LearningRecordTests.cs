using System.Text;
using System.Text.Json;
using EduLoop.Domain;
using EduLoop.Domain.Caching;
using EduLoop.Domain.Classes;
using EduLoop.Domain.Formats;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Learning;
using EduLoop.Domain.Practice;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain.Learning;

/// <summary>Graded practice and quiz answers move a student's stored memory states; due sessions draw from them.</summary>
public sealed class LearningRecordTests : IAsyncLifetime
{
    private const string Gift = """
        $CATEGORY: Science/Physics/Motion

        ::M1::Motion one? {=a ~b}

        ::M2::Motion two? {=a ~b}

        ::M3::Motion three? {=a ~b}

        ::M4::Motion four? {=a ~b}

        ::Held::Held by the quiz? {=a ~b}

        ::Essay::Describe a river. {}

        $CATEGORY: Maths/Algebra/Basics

        ::A1::Algebra one? {=a ~b}

        ::A2::Algebra two? {=a ~b}
        """;

    private readonly ManualClock _clock = new();
    private DomainDatabase _database = null!;
    private PracticeService _practice = null!;
    private AttemptService _attempts = null!;
    private ReviewRecorder _recorder = null!;
    private int _class;
    private string _student = null!;
    private Learner _learner = null!;

    public async Task InitializeAsync()
    {
        _database = await DomainDatabase.CreateAsync();
        await _database.Get<ImportService>().CommitAsync(QuestionFormat.Gift, new MemoryStream(Encoding.UTF8.GetBytes(Gift)), new ImportOptions(), null);
        _recorder = _database.Get<ReviewRecorder>();
        _practice = new PracticeService(_database.CreateFactory(), _database.Get<QuestionService>(), _database.Get<TaggedCache>(), _clock, _recorder);
        var writer = new AnswerWriter(_database.CreateFactory(), _clock, _database.Get<DataChanges>());
        _attempts = new AttemptService(_database.CreateFactory(), writer, _clock, _recorder);
        _class = (await _database.Get<ClassService>().CreateAsync("9A", "")).Id;
        _student = await AddStudentAsync("ana@school.test");
        _learner = Learner.Student(_student);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task PracticeAnswer_IsKeptWithItsState_BeforeItIsAcknowledged()
    {
        var step = await StartPhysicsAsync();
        var question = step.Question!;
        _clock.Now += TimeSpan.FromSeconds(15);

        var answer = await _practice.AnswerAsync(_learner, step.SessionId, question.Id, "\"a\"");

        Assert.True(answer.Check.Correct);
        Assert.Equal(Rating.Good, answer.Rating);
        await using var db = _database.CreateContext();
        var state = await db.ReviewStates.SingleAsync();
        var expected = ReviewScheduler.Default.Review(ReviewSchedule.New(Now), Rating.Good, Now);
        Assert.Equal((_student, question.Id, 1, expected.Phase, expected.Due), (state.StudentId, state.QuestionId, state.Reviews, state.Phase, state.Due));
        Assert.Equal(expected.Memory!.Stability, state.Stability, 12);
        var log = await db.ReviewLogs.SingleAsync();
        Assert.Equal((ReviewSource.Practice, step.SessionId, "\"a\"", 15_000, true, 1.0), (log.Source, log.SessionId, log.Response, log.TimeTakenMs, log.Correct, log.Score));
    }

    [Theory]
    [InlineData("\"a\"", 3, Rating.Easy)]
    [InlineData("\"a\"", 15, Rating.Good)]
    [InlineData("\"a\"", 45, Rating.Hard)]
    [InlineData("\"b\"", 3, Rating.Again)]
    public async Task PracticeAnswer_IsRatedByItsMarkAndTime(string response, int seconds, Rating expected)
    {
        var step = await StartPhysicsAsync();
        _clock.Now += TimeSpan.FromSeconds(seconds);

        var answer = await _practice.AnswerAsync(_learner, step.SessionId, step.Question!.Id, response);

        Assert.Equal(expected, answer.Rating);
        await using var db = _database.CreateContext();
        Assert.Equal(expected, (await db.ReviewLogs.SingleAsync()).Rating);
    }

    [Fact]
    public async Task PracticeAnswer_ToAQuestionNotOnScreen_IsRefused_AndASecondAnswerKeepsTheFirst()
    {
        var step = await StartPhysicsAsync();
        var other = await IdOfAsync(step.Question!.Title == "M1" ? "M2" : "M1");

        await Assert.ThrowsAsync<NotCurrentQuestionException>(() => _practice.AnswerAsync(_learner, step.SessionId, other, "\"a\""));
        await Assert.ThrowsAsync<PracticeSessionNotFoundException>(() => _practice.AnswerAsync(Learner.Student("someone"), step.SessionId, step.Question.Id, "\"a\""));
        await Assert.ThrowsAsync<DomainValidationException>(() => _practice.AnswerAsync(_learner, step.SessionId, step.Question.Id, "{not json"));
        var first = await _practice.AnswerAsync(_learner, step.SessionId, step.Question.Id, "\"b\"");
        var second = await _practice.AnswerAsync(_learner, step.SessionId, step.Question.Id, "\"a\"");

        Assert.False(second.Check.Correct);
        Assert.Equal(first.Response, second.Response);
        await using var db = _database.CreateContext();
        Assert.Equal(1, await db.ReviewLogs.CountAsync());
        Assert.Equal(1, (await db.ReviewStates.SingleAsync()).Reviews);
    }

    [Fact]
    public async Task PracticeAnswer_ToAQuestionAQuizHeldSinceItWasShown_OrDuringAnAttempt_GivesNoKey()
    {
        await JoinAsync(_student);
        var step = await StartPhysicsAsync();
        // A quiz of the student's class opens with the question on screen.
        var quiz = await QuizAsync(step.Question!.Id);

        await Assert.ThrowsAsync<QuestionHeldException>(() => _practice.AnswerAsync(_learner, step.SessionId, step.Question.Id, "\"a\""));

        // Another question of a session, while the student takes the quiz.
        await using (var db = _database.CreateContext())
        {
            await db.Quizzes.Where(q => q.Id == quiz).ExecuteUpdateAsync(u => u.SetProperty(q => q.QuestionsReleasedAt, Now));
        }

        await _attempts.StartAsync(quiz, _student);
        await Assert.ThrowsAsync<AttemptInProgressException>(() => _practice.AnswerAsync(_learner, step.SessionId, step.Question.Id, "\"a\""));
        await using var read = _database.CreateContext();
        Assert.Equal(0, await read.ReviewLogs.CountAsync());
    }

    [Fact]
    public async Task DesiredRetention_OfTheStudentsClass_SetsTheInterval()
    {
        var strict = await AddStudentAsync("strict@school.test");
        await using (var db = _database.CreateContext())
        {
            var other = new SchoolClass { Name = "Exam class", DesiredRetention = 0.97 };
            db.SchoolClasses.Add(other);
            await db.SaveChangesAsync();
            db.ClassMemberships.Add(new ClassMembership { SchoolClassId = other.Id, UserId = strict });
            await db.SaveChangesAsync();
        }

        var question = await IdOfAsync("M1");
        await _recorder.RecordAsync([
            new GradedAnswer(_student, question, QuestionType.Mcq, Now, new AnswerCheck(true, 1m), Rating.Easy, ReviewSource.Practice),
            new GradedAnswer(strict, question, QuestionType.Mcq, Now, new AnswerCheck(true, 1m), Rating.Easy, ReviewSource.Practice),
        ]);

        await using var read = _database.CreateContext();
        var due = await read.ReviewStates.ToDictionaryAsync(s => s.StudentId, s => (s.Due - Now).TotalDays);
        var stability = MemoryModel.Default.InitialStability(Rating.Easy);
        Assert.Equal(MemoryModel.Default.NextIntervalDays(stability, 0.9, 36_500), due[_student]);
        Assert.Equal(MemoryModel.Default.NextIntervalDays(stability, 0.97, 36_500), due[strict]);
        Assert.True(due[strict] < due[_student]);
    }

    [Fact]
    public async Task StoredStates_OverSeveralDays_FollowTheScheduler()
    {
        var question = await IdOfAsync("M1");
        var ratings = new[] { Rating.Good, Rating.Good, Rating.Again, Rating.Good, Rating.Easy, Rating.Hard };
        var schedule = ReviewSchedule.New(Now);
        foreach (var rating in ratings)
        {
            await _recorder.RecordAsync(new GradedAnswer(_student, question, QuestionType.Mcq, Now, new AnswerCheck(rating != Rating.Again, 1m), rating, ReviewSource.Practice));
            schedule = ReviewScheduler.Default.Review(schedule, rating, Now);
            _clock.Now = new DateTimeOffset(schedule.Due, TimeSpan.Zero);
        }

        await using var db = _database.CreateContext();
        var state = await db.ReviewStates.SingleAsync();
        Assert.Equal((schedule.Phase, schedule.Step, schedule.Due, ratings.Length), (state.Phase, state.Step, state.Due, state.Reviews));
        Assert.Equal(schedule.Memory!.Stability, state.Stability, 9);
        Assert.Equal(schedule.Memory.Difficulty, state.Difficulty, 9);
        Assert.Equal(1, state.Lapses);
    }

    [Fact]
    public async Task Recorder_UnderManyConcurrentAnswers_KeepsEveryOne()
    {
        var questions = await IdsAsync("M1", "M2", "M3", "M4");
        var students = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            students.Add(await AddStudentAsync($"s{i}@school.test"));
        }

        await Task.WhenAll(students.SelectMany(s => questions.Select(q => Task.Run(() => _recorder.RecordAsync(
            new GradedAnswer(s, q, QuestionType.Mcq, Now, new AnswerCheck(true, 1m), Rating.Good, ReviewSource.Practice))))));

        await using var db = _database.CreateContext();
        Assert.Equal(40, await db.ReviewStates.CountAsync(s => s.Reviews == 1));
        Assert.Equal(40, await db.ReviewLogs.CountAsync());
    }

    [Fact]
    public async Task Recorder_AnswersOfDeletedQuestionsOrAccounts_AreLeftOut_TheRestKept()
    {
        var question = await IdOfAsync("M1");

        await _recorder.RecordAsync([
            new GradedAnswer("no such account", question, QuestionType.Mcq, Now, new AnswerCheck(true, 1m), Rating.Good, ReviewSource.Practice),
            new GradedAnswer(_student, 987_654, QuestionType.Mcq, Now, new AnswerCheck(true, 1m), Rating.Good, ReviewSource.Practice),
            new GradedAnswer(_student, question, QuestionType.Mcq, Now, new AnswerCheck(true, 1m), Rating.Good, ReviewSource.Practice),
        ]);

        await using var db = _database.CreateContext();
        var state = await db.ReviewStates.SingleAsync();
        Assert.Equal((_student, question), (state.StudentId, state.QuestionId));
    }

    [Fact]
    public async Task QuizSubmit_RecordsItsMarkedAnswers_NotBlanksEssaysOrPreviews()
    {
        await JoinAsync(_student);
        var (m1, m2, essay) = (await IdOfAsync("M1"), await IdOfAsync("M2"), await IdOfAsync("Essay"));
        var quiz = await QuizAsync(m1, m2, await IdOfAsync("M3"), essay);
        var attempt = await _attempts.StartAsync(quiz, _student);
        var position = attempt.Questions.ToDictionary(q => q.QuestionId, q => q.Position);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, position[m1], Json("\"a\""), 1);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, position[m2], Json("\"b\""), 1);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, position[essay], Json("\"A river flows.\""), 1);
        var teacher = await AddStudentAsync("teacher@school.test");
        var preview = await _attempts.StartPreviewAsync(quiz, teacher);
        await _attempts.SaveAnswerAsync(preview.Id, teacher, 1, Json("\"a\""), 1);

        await _attempts.SubmitAsync(attempt.Id, _student);
        await _attempts.SubmitAsync(preview.Id, teacher);

        await using (var db = _database.CreateContext())
        {
            var logs = await db.ReviewLogs.OrderBy(l => l.QuestionId).ToListAsync();
            Assert.Equal([(m1, Rating.Good), (m2, Rating.Again)], logs.Select(l => (l.QuestionId, l.Rating)));
            Assert.All(logs, l => Assert.Equal((_student, ReviewSource.Quiz, attempt.Id), (l.StudentId, l.Source, l.AttemptId)));
            Assert.Equal(2, await db.ReviewStates.CountAsync());
        }

        // The essay is a review once a teacher grades it, and only the first time.
        var grading = new GradingService(_database.CreateFactory(), _clock, _recorder);
        await using (var db = _database.CreateContext())
        {
            var answerId = await db.AttemptQuestions.Where(q => q.AttemptId == attempt.Id && q.QuestionId == essay).Select(q => q.Id).SingleAsync();
            var admin = Actor.Admin(teacher);
            await grading.GradeAsync(answerId, 0.5m, null, admin);
            await grading.GradeAsync(answerId, 1m, null, admin);
        }

        await using var after = _database.CreateContext();
        Assert.Equal(Rating.Hard, (await after.ReviewLogs.SingleAsync(l => l.QuestionId == essay)).Rating);
        Assert.Equal(1, (await after.ReviewStates.SingleAsync(s => s.QuestionId == essay)).Reviews);
    }

    [Fact]
    public async Task DueSession_ShowsDueQuestionsMostOverdueFirst_ThenNewOnesOfTheClassesSubjects_NeverAHeldOne()
    {
        await JoinAsync(_student);
        // The class's quiz takes Physics; it is open, so its question is held back from practice.
        await QuizAsync(await IdOfAsync("Held"));
        var (m1, m2, m3) = (await IdOfAsync("M1"), await IdOfAsync("M2"), await IdOfAsync("M3"));
        await _recorder.RecordAsync(new GradedAnswer(_student, m2, QuestionType.Mcq, Now, new AnswerCheck(true, 1m), Rating.Easy, ReviewSource.Practice));
        await _recorder.RecordAsync(new GradedAnswer(_student, m1, QuestionType.Mcq, Now.AddHours(1), new AnswerCheck(true, 1m), Rating.Easy, ReviewSource.Practice));
        await _recorder.RecordAsync(new GradedAnswer(_student, m3, QuestionType.Mcq, Now.AddHours(2), new AnswerCheck(true, 1m), Rating.Easy, ReviewSource.Practice));
        _clock.Now += TimeSpan.FromDays(30);
        await using (var db = _database.CreateContext())
        {
            // M3 is not due yet.
            await db.ReviewStates.Where(s => s.QuestionId == m3).ExecuteUpdateAsync(u => u.SetProperty(s => s.Due, Now.AddDays(5)));
        }

        var step = await _practice.StartDueAsync(_learner);
        var shown = new List<string>();
        while (step.Question is { } question)
        {
            shown.Add(question.Title);
            step = await _practice.NextAsync(_learner, step.SessionId);
        }

        Assert.Equal(["M2", "M1"], shown.Take(2));
        Assert.Equal(["Essay", "M4"], shown.Skip(2).Order());
    }

    [Fact]
    public async Task DueSession_ForANewStudentOfAClassWithoutQuizzes_DrawsNewQuestionsOfEverySubject()
    {
        await JoinAsync(_student);

        var step = await _practice.StartDueAsync(_learner);
        var shown = new List<string>();
        while (step.Question is { } question)
        {
            shown.Add(question.Title);
            step = await _practice.NextAsync(_learner, step.SessionId);
        }

        Assert.Equal(["A1", "A2", "Essay", "Held", "M1", "M2", "M3", "M4"], shown.Order());
    }

    [Fact]
    public async Task DueSession_AQuestionMissed_ComesBackAfterItsRelearningStep()
    {
        var m1 = await IdOfAsync("M1");
        await _recorder.RecordAsync(new GradedAnswer(_student, m1, QuestionType.Mcq, Now, new AnswerCheck(true, 1m), Rating.Easy, ReviewSource.Practice));
        _clock.Now += TimeSpan.FromDays(30);
        var step = await _practice.StartDueAsync(_learner);
        Assert.Equal(m1, step.Question!.Id);

        await _practice.AnswerAsync(_learner, step.SessionId, m1, "\"b\"");
        var next = await _practice.NextAsync(_learner, step.SessionId);
        Assert.NotEqual(m1, next.Question?.Id);
        _clock.Now += TimeSpan.FromMinutes(11);
        for (var i = 0; i < 10 && next.Question?.Id != m1; i++)
        {
            next = await _practice.NextAsync(_learner, step.SessionId);
        }

        Assert.Equal(m1, next.Question?.Id);
    }

    [Fact]
    public async Task Resume_OnAnotherDevice_ShowsTheQuestionOnScreen_AndItsAnswerOnceGiven()
    {
        Assert.Null(await _practice.ResumeAsync(_learner));
        var step = await StartPhysicsAsync();

        var before = await _practice.ResumeAsync(_learner);
        Assert.Equal((step.SessionId, step.Question!.Id, 0), (before!.SessionId, before.Question!.Id, before.Answered));
        Assert.Null(before.Answer);

        await _practice.AnswerAsync(_learner, step.SessionId, step.Question.Id, "\"a\"");
        var after = await _practice.ResumeAsync(_learner);
        Assert.Equal((1, 1, "\"a\"", true), (after!.Answered, after.Right, after.Answer!.Response, after.Answer.Check.Correct));
        Assert.Null(await _practice.ResumeAsync(Learner.Student("someone else")));
    }

    [Fact]
    public async Task SelfRating_OfAnEssay_IsTheStudentsOwn_AndOnlyForEssays()
    {
        var step = await _practice.StartAsync(_learner, await FilterAsync());
        while (step.Question is { } question && question.Title != "Essay")
        {
            await Assert.ThrowsAsync<DomainValidationException>(() => _practice.SelfRateAsync(_learner, step.SessionId, question.Id, "\"x\"", Rating.Good));
            step = await _practice.NextAsync(_learner, step.SessionId);
        }

        await Assert.ThrowsAsync<DomainValidationException>(() => _practice.AnswerAsync(_learner, step.SessionId, step.Question!.Id, "\"A river.\""));
        await Assert.ThrowsAsync<DomainValidationException>(() => _practice.SelfRateAsync(_learner, step.SessionId, step.Question!.Id, "\"A river.\"", (Rating)9));
        var rated = await _practice.SelfRateAsync(_learner, step.SessionId, step.Question!.Id, "\"A river.\"", Rating.Hard);

        Assert.Equal(Rating.Hard, rated.Rating);
        await using var db = _database.CreateContext();
        var log = await db.ReviewLogs.SingleAsync();
        Assert.Equal((Rating.Hard, "\"A river.\""), (log.Rating, log.Response));
    }

    private DateTime Now => _clock.Now.UtcDateTime;

    private async Task<PracticeStep> StartPhysicsAsync()
    {
        var filter = await FilterAsync();
        var step = await _practice.StartAsync(_learner, filter);
        while (step.Question is { Type: not QuestionType.Mcq })
        {
            step = await _practice.NextAsync(_learner, step.SessionId);
        }

        return step;
    }

    private async Task<PracticeFilter> FilterAsync()
    {
        await using var db = _database.CreateContext();
        var subject = await db.Subjects.SingleAsync(s => s.Name == "Physics");
        return new PracticeFilter(subject.GroupId, subject.Id, [], [], []);
    }

    private async Task<int> QuizAsync(params int[] questionIds)
    {
        var draft = new QuizDraft("Quiz", questionIds.Select(id => new SlotDraft(QuestionId: id)).ToList()) { ClassIds = [_class], AttemptsAllowed = 0 };
        return await new QuizService(_database.CreateFactory(), _clock).CreateAsync(draft, null);
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

    private async Task<int> IdOfAsync(string title) => (await IdsAsync(title))[0];

    private async Task<List<int>> IdsAsync(params string[] titles)
    {
        await using var db = _database.CreateContext();
        var ids = await db.Questions.Where(q => titles.Contains(q.Title)).ToDictionaryAsync(q => q.Title, q => q.Id);
        return [.. titles.Select(t => ids[t])];
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
