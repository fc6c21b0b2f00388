using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;

namespace EduLoop.Tests.Domain;

/// <summary>The default review policy, provisional scores while an essay waits, and every class member in the results.</summary>
public sealed partial class AttemptServiceTests
{
    [Fact]
    public async Task Review_WithTheDefaults_ShowsScoreAtOnce_AndAnswersAndFeedbackAfterTheCloseTime()
    {
        var closes = _clock.Now.UtcDateTime.AddDays(1);
        var closing = await QuizAsync(d => d with { ClosesAt = closes });
        var attempt = await SubmittedAsync(closing, _student, (QuestionType.Mcq, "\"Lyon\""), (QuestionType.TrueFalse, "false"));

        var early = await _attempts.ReviewAsync(attempt.Id, _student, viewerIsStaff: false);
        Assert.Equal(new ReviewPolicy(true, true, true, false, false), early.Policy);
        Assert.Equal(1m, early.Score);
        Assert.Equal(Outcome.Wrong, early.Questions.Single(q => q.Type == QuestionType.Mcq).Outcome);
        Assert.All(early.Questions, q => Assert.Null(q.CorrectAnswers));

        _clock.Now = closes.AddMinutes(1);
        var late = await _attempts.ReviewAsync(attempt.Id, _student, viewerIsStaff: false);
        Assert.Equal(ReviewPolicy.Everything, late.Policy);
        Assert.Equal(["Paris"], late.Questions.Single(q => q.Type == QuestionType.Mcq).CorrectAnswers);
    }

    [Fact]
    public async Task Review_WithTheDefaults_AndNoCloseTime_ShowsEverythingAtOnce()
    {
        var quiz = await QuizAsync();
        var attempt = await SubmittedAsync(quiz, _student, (QuestionType.Mcq, "\"Paris\""));

        var review = await _attempts.ReviewAsync(attempt.Id, _student, viewerIsStaff: false);

        Assert.Equal(ReviewPolicy.Everything, review.Policy);
        Assert.Equal(1m, review.Score);
    }

    [Theory]
    [InlineData(ReviewTime.AfterClose, false, true, false)]
    [InlineData(ReviewTime.AfterClose, true, true, true)]
    [InlineData(ReviewTime.Never, true, true, false)]
    [InlineData(ReviewTime.Immediately, false, false, false)]
    [InlineData(ReviewTime.ScoreNowAnswersAfterClose, false, true, true)]
    public void CanEverShow_IsFalse_WhenTheReviewNeverOpensOrShowsNothing(ReviewTime review, bool hasCloseTime, bool showsSomething, bool expected)
    {
        DateTime? closes = hasCloseTime ? new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc) : null;

        Assert.Equal(expected, ReviewRules.CanEverShow(review, closes, showsSomething, showsSomething, showsSomething, showsSomething));
    }

    [Fact]
    public async Task AnUngradedEssay_GivesAProvisionalScore_ToTheTeacherTheStudentAndTheCsv()
    {
        var quiz = await QuizAsync(slots: [new SlotDraft(QuestionId: await IdOfAsync("Essay"), Points: 4m), new SlotDraft(QuestionId: await IdOfAsync("Sky"), Points: 5m)]);
        var attempt = await SubmittedAsync(quiz, _student, (QuestionType.Writing, "\"Rivers flow.\""), (QuestionType.TrueFalse, "false"));

        var row = Assert.Single((await Results.ResultsAsync(quiz)).Attempts);
        Assert.Equal((true, 5m, 9m, 1), (row.IsProvisional, row.ScoreSoFar, row.MaxScore, row.EssaysToGrade));
        Assert.Null(row.Score);
        var review = await _attempts.ReviewAsync(attempt.Id, _student, viewerIsStaff: false);
        Assert.Equal((5m, 1), (review.ScoreSoFar, review.EssaysToGrade));
        var line = (await Results.CsvAsync(quiz)).Split("\r\n")[1].Split(',');
        Assert.Equal(("5", "9", "provisional"), (line[6], line[7], line[9]));

        var essay = Assert.Single(await Grading.QueueAsync(_admin));
        await Grading.GradeAsync(essay.AnswerId, 2m, null, _admin);

        var graded = (await Results.ResultsAsync(quiz)).Attempts.Single();
        Assert.Equal((false, 7m, 0), (graded.IsProvisional, graded.Score, graded.EssaysToGrade));
        Assert.Equal("final", (await Results.CsvAsync(quiz)).Split("\r\n")[1].Split(',')[9]);
    }

    [Fact]
    public async Task AnUngradedEssay_HidesTheProvisionalScore_WhenTheReviewHidesTheScore()
    {
        var quiz = await QuizAsync(d => d with { ReviewShowsScore = false }, new SlotDraft(QuestionId: await IdOfAsync("Essay")), new SlotDraft(QuestionId: await IdOfAsync("Sky")));
        var attempt = await SubmittedAsync(quiz, _student, (QuestionType.Writing, "\"Rivers flow.\""), (QuestionType.TrueFalse, "false"));

        var review = await _attempts.ReviewAsync(attempt.Id, _student, viewerIsStaff: false);

        Assert.Null(review.ScoreSoFar);
    }

    [Fact]
    public async Task Results_ListEveryMemberOfTheAssignedClasses_WithHowFarTheyGot()
    {
        var quiz = await QuizAsync();
        var started = await AddStudentAsync("ben@school.test");
        var idle = await AddStudentAsync("cleo@school.test");
        await JoinAsync(started);
        await JoinAsync(idle);
        await SubmittedAsync(quiz, _student, (QuestionType.Mcq, "\"Paris\""));
        await _attempts.StartAsync(quiz, started);

        var results = await Results.ResultsAsync(quiz);

        Assert.Equal(
            [("ana@school.test", StudentProgress.Submitted), ("ben@school.test", StudentProgress.InProgress), ("cleo@school.test", StudentProgress.NotStarted)],
            results.Grades.Select(g => (g.Student, g.Progress)));
        Assert.Equal(0, results.Grades.Single(g => g.StudentId == idle).Attempts);
    }
}
