using EduLoop.Domain;
using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

/// <summary>Grading by hand, regrading, reviews under each policy, extra time, results and the group-commit writer.</summary>
public sealed partial class AttemptServiceTests
{
    /// <summary>These quizzes have no author (made as the command line makes them), so an admin grades them.</summary>
    private static readonly Actor _admin = Actor.Admin("t");

    private GradingService Grading => new(_database.CreateFactory(), _clock, _database.Get<EduLoop.Domain.Learning.ReviewRecorder>());

    private QuizResultsService Results => new(_database.CreateFactory());

    private async Task<Attempt> SubmittedAsync(int quiz, string student, params (QuestionType Type, string Json)[] answers)
    {
        var attempt = await _attempts.StartAsync(quiz, student);
        foreach (var (type, json) in answers)
        {
            await _attempts.SaveAnswerAsync(attempt.Id, student, attempt.Questions.Single(q => q.Type == type).Position, Json(json), 1);
        }

        await _attempts.SubmitAsync(attempt.Id, student);
        return attempt;
    }

    [Fact]
    public async Task ATeachersGrade_CompletesTheAttempt_AndOutOfRangeScoresAreRefused()
    {
        var quiz = await QuizAsync(d => d with { Review = ReviewTime.Immediately },
            new SlotDraft(QuestionId: await IdOfAsync("Essay"), Points: 4m), new SlotDraft(QuestionId: await IdOfAsync("Sky")));
        var attempt = await SubmittedAsync(quiz, _student, (QuestionType.Writing, "\"Rivers flow to the sea.\""), (QuestionType.TrueFalse, "false"));

        var queue = await Grading.QueueAsync(_admin);
        var essay = Assert.Single(queue);
        Assert.Equal(("Rivers flow to the sea.", 4m), (essay.Answer, essay.Points));
        Assert.Equal(1, await Grading.PendingCountAsync());

        await Assert.ThrowsAsync<DomainValidationException>(() => Grading.GradeAsync(essay.AnswerId, 5m, null, _admin));
        await Assert.ThrowsAsync<DomainValidationException>(() => Grading.GradeAsync(essay.AnswerId, -1m, null, _admin));
        var capital = await _database.CreateContext().AttemptQuestions.Where(q => q.AttemptId == attempt.Id && q.Type == QuestionType.TrueFalse).Select(q => q.Id).SingleAsync();
        await Assert.ThrowsAsync<DomainValidationException>(() => Grading.GradeAsync(capital, 1m, null, _admin));

        await Grading.GradeAsync(essay.AnswerId, 3m, "  Good, but name a river.  ", _admin);

        await using var db = _database.CreateContext();
        var graded = await db.Attempts.SingleAsync(a => a.Id == attempt.Id);
        Assert.Equal((AttemptState.Graded, 4m, false), (graded.State, graded.Score!.Value, graded.NeedsGrading));
        Assert.Empty(await Grading.QueueAsync(_admin));
        Assert.Single(await Grading.QueueAsync(_admin, includeGraded: true));
        var review = await _attempts.ReviewAsync(attempt.Id, _student, viewerIsStaff: false);
        Assert.Equal("Good, but name a river.", review.Questions.Single(q => q.Type == QuestionType.Writing).Comment);
    }

    [Fact]
    public async Task AnEssayStillInProgress_IsNotInTheQueue()
    {
        var quiz = await QuizAsync(null, new SlotDraft(QuestionId: await IdOfAsync("Essay")));
        var attempt = await _attempts.StartAsync(quiz, _student);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, 1, Json("\"draft\""), 1);

        Assert.Empty(await Grading.QueueAsync(_admin));
    }

    [Fact]
    public async Task Regrade_PreviewsTheChange_ThenAppliesItToTheAttemptsTotal()
    {
        var quiz = await QuizAsync(null, new SlotDraft(QuestionId: await IdOfAsync("Capital"), Points: 2m), new SlotDraft(QuestionId: await IdOfAsync("Sky")));
        var lyon = await SubmittedAsync(quiz, _student, (QuestionType.Mcq, "\"Lyon\""), (QuestionType.TrueFalse, "false"));
        var bank = _database.Get<BankService>();
        var capital = await bank.GetAsync(await IdOfAsync("Capital"));

        // The key is corrected: Lyon counts as well (half), and a typo in a choice is fixed.
        var body = new QuestionBody { Choices = [new Choice("Paris", 1m), new Choice("Lyon", 0.5m), new Choice("Nice", 0m)] };
        var frozen = (await _attempts.ReviewAsync(lyon.Id, _student, true)).Questions.Single(q => q.Type == QuestionType.Mcq);
        await bank.SaveAsync(capital with { Body = body }, null);

        var preview = await Grading.PreviewRegradeAsync(capital.Id, _admin);
        var change = Assert.Single(preview.Changes);
        Assert.Equal((0m, 1m), (change.OldScore, change.NewScore));
        await using (var db = _database.CreateContext())
        {
            Assert.Equal(1m, (await db.Attempts.SingleAsync(a => a.Id == lyon.Id)).Score);
        }

        Assert.Equal(1, await Grading.RegradeAsync(capital.Id, _admin));

        await using (var db = _database.CreateContext())
        {
            Assert.Equal(2m, (await db.Attempts.SingleAsync(a => a.Id == lyon.Id)).Score);
        }

        Assert.Equal(frozen.Stem, (await _attempts.ReviewAsync(lyon.Id, _student, true)).Questions.Single(q => q.Type == QuestionType.Mcq).Stem);
        Assert.Empty((await Grading.PreviewRegradeAsync(capital.Id, _admin)).Changes);
    }

    [Fact]
    public async Task Regrade_MatchesChoicesByPlace_SoAFixedTypoKeepsTheStudentsPick()
    {
        var quiz = await QuizAsync(null, new SlotDraft(QuestionId: await IdOfAsync("Capital")));
        var attempt = await SubmittedAsync(quiz, _student, (QuestionType.Mcq, "\"Nice\""));
        var bank = _database.Get<BankService>();
        var capital = await bank.GetAsync(await IdOfAsync("Capital"));

        await bank.SaveAsync(capital with { Body = new QuestionBody { Choices = [new Choice("Paris", 0m), new Choice("Lyon", 0m), new Choice("Nizza", 1m)] } }, null);
        await Grading.RegradeAsync(capital.Id, _admin);

        var review = await _attempts.ReviewAsync(attempt.Id, _student, true);
        Assert.Equal(("Nizza", 1m), (review.Questions[0].ResponseText, review.Score!.Value));
    }

    [Fact]
    public async Task Review_ShowsOnlyWhatThePolicyAllows_AndNothingBeforeItsTime()
    {
        var closes = _clock.Now.UtcDateTime.AddHours(1);
        var afterClose = await QuizAsync(d => d with { Review = ReviewTime.AfterClose, ClosesAt = closes, ReviewShowsCorrectAnswers = false, ReviewShowsFeedback = false });
        var never = await QuizAsync(d => d with { Review = ReviewTime.Never });
        var a = await SubmittedAsync(afterClose, _student, (QuestionType.Mcq, "\"Lyon\""));
        var b = await SubmittedAsync(never, _student, (QuestionType.Mcq, "\"Paris\""));

        var early = await _attempts.ReviewAsync(a.Id, _student, false);
        Assert.False(early.Policy.Open);
        Assert.Null(early.Score);
        Assert.Empty(early.Questions);

        _clock.Now = _clock.Now.AddHours(2);
        var late = await _attempts.ReviewAsync(a.Id, _student, false);
        Assert.True(late.Policy.Open);
        Assert.Equal(0m, late.Score);
        var mcq = late.Questions.Single(q => q.Type == QuestionType.Mcq);
        Assert.Equal(("Lyon", Outcome.Wrong), (mcq.ResponseText, mcq.Outcome));
        Assert.Null(mcq.CorrectAnswers);
        Assert.Null(mcq.Feedback);

        var hidden = await _attempts.ReviewAsync(b.Id, _student, false);
        Assert.Empty(hidden.Questions);
        Assert.Null(hidden.Score);

        var staff = await _attempts.ReviewAsync(b.Id, "a-teacher", true);
        Assert.Equal(["Paris"], staff.Questions.Single(q => q.Type == QuestionType.Mcq).CorrectAnswers!);
        Assert.Equal(1m, staff.Score);
        var stranger = await AddStudentAsync("eve@school.test");
        await Assert.ThrowsAsync<NotFoundException>(() => _attempts.ReviewAsync(b.Id, stranger, false));
    }

    [Fact]
    public async Task Review_InProgress_ShowsNothingToTheStudent()
    {
        var quiz = await QuizAsync(d => d with { Review = ReviewTime.Immediately, ReviewShowsCorrectAnswers = true });
        var attempt = await _attempts.StartAsync(quiz, _student);

        var review = await _attempts.ReviewAsync(attempt.Id, _student, false);

        Assert.False(review.Policy.Open);
        Assert.Empty(review.Questions);
    }

    [Fact]
    public async Task ExtraTime_ExtendsOneStudentsDeadline_ButNotPastTheCloseTime()
    {
        var classmate = await AddStudentAsync("finn@school.test");
        await JoinAsync(classmate);
        var quiz = await QuizAsync(d => d with { TimeLimitMinutes = 30, ExtraMinutes = new Dictionary<string, int> { [_student] = 15 } });
        var capped = await QuizAsync(d => d with
        {
            TimeLimitMinutes = 30,
            ClosesAt = _clock.Now.UtcDateTime.AddMinutes(40),
            ExtraMinutes = new Dictionary<string, int> { [_student] = 15 },
        });

        Assert.Equal(_clock.Now.UtcDateTime.AddMinutes(45), (await _attempts.StartAsync(quiz, _student)).Deadline);
        Assert.Equal(_clock.Now.UtcDateTime.AddMinutes(30), (await _attempts.StartAsync(quiz, classmate)).Deadline);
        Assert.Equal(_clock.Now.UtcDateTime.AddMinutes(40), (await _attempts.StartAsync(capped, _student)).Deadline);
        var bad = await Assert.ThrowsAsync<DomainValidationException>(async () => await QuizAsync(d => d with { ExtraMinutes = new Dictionary<string, int> { ["nobody"] = 5 } }));
        Assert.Equal("extra_time", bad.Field);
    }

    [Fact]
    public async Task Results_GiveDistributionFacilityAndGrades_ByTheGradingMethod()
    {
        var quiz = await QuizAsync(d => d with { AttemptsAllowed = 0, Grading = GradingMethod.Average, PassPercent = 60m });
        await SubmittedAsync(quiz, _student, (QuestionType.Mcq, "\"Paris\""), (QuestionType.TrueFalse, "false"));
        await SubmittedAsync(quiz, _student, (QuestionType.Mcq, "\"Lyon\""), (QuestionType.TrueFalse, "false"));
        var other = await AddStudentAsync("gus@school.test");
        await JoinAsync(other);
        await SubmittedAsync(quiz, other, (QuestionType.Mcq, "\"Nice\""));

        var results = await Results.ResultsAsync(quiz);

        Assert.Equal(3, results.Attempts.Count);
        Assert.Equal(1, results.Distribution[0]);
        Assert.Equal(1, results.Distribution[5]);
        Assert.Equal(1, results.Distribution[9]);
        var mine = results.Grades.Single(g => g.StudentId == _student);
        Assert.Equal((75m, true), (mine.Percent!.Value, mine.Passed!.Value));
        Assert.False(results.Grades.Single(g => g.StudentId == other).Passed);
        var capital = results.Items.Single(i => i.Type == QuestionType.Mcq);
        Assert.Equal((3, 0.333m), (capital.Answers, capital.Facility!.Value));
        Assert.Equal(0.667m, results.Items.Single(i => i.Type == QuestionType.TrueFalse).Facility);
    }

    [Fact]
    public async Task ResultsCsv_EscapesCellsASpreadsheetWouldRun()
    {
        var evil = await AddStudentAsync("=HYPERLINK(\"http://x\")@school.test");
        await JoinAsync(evil);
        await using (var db = _database.CreateContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == evil);
            user.DisplayName = "=1+2";
            await db.SaveChangesAsync();
        }

        var quiz = await QuizAsync();
        await SubmittedAsync(quiz, evil, (QuestionType.Mcq, "\"Paris\""));

        var csv = await Results.CsvAsync(quiz);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("Student,Email,Attempt,State", lines[0]);
        Assert.StartsWith("'=1+2,\"'=HYPERLINK(\"\"http://x\"\")@school.test\",1,Graded", lines[1]);
        Assert.DoesNotContain(lines.Skip(1).SelectMany(l => l.Split(',')), cell => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@');
    }

    [Fact]
    public async Task TheWriter_CommitsManyConcurrentSavesTogether_AndEveryAcknowledgedOneIsStored()
    {
        var students = new List<(string Id, Attempt Attempt)>();
        var quiz = await QuizAsync();
        for (var i = 0; i < 20; i++)
        {
            var student = await AddStudentAsync($"s{i}@school.test");
            await JoinAsync(student);
            students.Add((student, await _attempts.StartAsync(quiz, student)));
        }

        var (commitsBefore, _) = _writer.Totals;
        var saves = students.SelectMany(s => Enumerable.Range(1, 10).Select(n => (Student: s.Id, AttemptId: s.Attempt.Id, Sequence: (long)n))).ToList();
        var acknowledged = await Task.WhenAll(saves.Select(s => Task.Run(async () =>
        {
            try
            {
                return (s.AttemptId, Saved: await _attempts.SaveAnswerAsync(s.AttemptId, s.Student, 1, Json($"\"answer {s.Sequence}\""), s.Sequence));
            }
            catch (StaleAnswerException)
            {
                return (s.AttemptId, Saved: 0L);
            }
        })));

        var (commitsAfter, _) = _writer.Totals;
        Assert.True(commitsAfter - commitsBefore < saves.Count, $"{commitsAfter - commitsBefore} commits for {saves.Count} saves");
        await using var db = _database.CreateContext();
        var stored = await db.AttemptQuestions.Where(q => q.Position == 1).ToDictionaryAsync(q => q.AttemptId, q => (q.Sequence, q.Response));
        foreach (var group in acknowledged.Where(a => a.Saved > 0).GroupBy(a => a.AttemptId))
        {
            var newest = group.Max(a => a.Saved);
            Assert.Equal(newest, stored[group.Key].Sequence);
            Assert.Equal($"\"answer {newest}\"", stored[group.Key].Response);
        }
    }

    [Fact]
    public async Task TheWriter_RefusesASaveForAPositionTheAttemptDoesNotHave()
    {
        var quiz = await QuizAsync();
        var attempt = await _attempts.StartAsync(quiz, _student);

        await Assert.ThrowsAsync<NotFoundException>(() => _attempts.SaveAnswerAsync(attempt.Id, _student, 99, Json("\"x\""), 1));
        await Assert.ThrowsAsync<NotFoundException>(() => _attempts.SaveAnswerAsync(attempt.Id + 1000, _student, 1, Json("\"x\""), 1));
    }
}
