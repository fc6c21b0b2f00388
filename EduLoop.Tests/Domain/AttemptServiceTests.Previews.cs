using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain;

/// <summary>A teacher's preview runs as an attempt and is never counted as one.</summary>
public sealed partial class AttemptServiceTests
{
    private async Task<Attempt> PreviewedAsync(int quiz, string teacher, params (QuestionType Type, string Json)[] answers)
    {
        var preview = await _attempts.StartPreviewAsync(quiz, teacher);
        foreach (var (type, json) in answers)
        {
            await _attempts.SaveAnswerAsync(preview.Id, teacher, preview.Questions.Single(q => q.Type == type).Position, Json(json), 1);
        }

        await _attempts.SubmitAsync(preview.Id, teacher);
        return preview;
    }

    [Fact]
    public async Task Previews_AreNeverCounted_InResultsStatisticsCsvGradingOrAttemptLimits()
    {
        var quiz = await QuizAsync(d => d with { AttemptsAllowed = 1 },
            new SlotDraft(QuestionId: await IdOfAsync("Essay"), Points: 4m), new SlotDraft(QuestionId: await IdOfAsync("Sky")));
        // A teacher who is also in the quiz's class: the preview must not use up their one attempt either.
        var teacher = await AddStudentAsync("teacher@school.test");
        await JoinAsync(teacher);
        var preview = await PreviewedAsync(quiz, teacher, (QuestionType.Writing, "\"A preview essay.\""), (QuestionType.TrueFalse, "false"));
        await SubmittedAsync(quiz, _student, (QuestionType.TrueFalse, "true"));

        var results = await Results.ResultsAsync(quiz);
        var row = Assert.Single(results.Attempts);
        Assert.Equal(_student, row.StudentId);
        Assert.Equal(1, results.Distribution.Sum());
        Assert.Equal(1, results.Items.Single(i => i.Type == QuestionType.TrueFalse).Answers);
        Assert.Equal((0, StudentProgress.NotStarted), results.Grades.Where(g => g.StudentId == teacher).Select(g => (g.Attempts, g.Progress)).Single());
        Assert.Equal(2, (await Results.CsvAsync(quiz)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal((1, 0), (await Results.ListAsync(_admin)).Where(q => q.Id == quiz).Select(q => (q.Attempts, q.ToGrade)).Single());
        Assert.Empty(await Grading.QueueAsync(_admin));
        Assert.Equal(0, await Grading.PendingCountAsync());
        Assert.Equal(1, (await Grading.PreviewRegradeAsync(await IdOfAsync("Sky"), _admin)).AttemptsUsingIt);

        var asStudent = (await _attempts.QuizzesOfAsync(teacher)).Single(q => q.Id == quiz);
        Assert.Equal((0, (int?)null), (asStudent.AttemptsUsed, asStudent.AttemptInProgress));
        Assert.Empty(await _attempts.AttemptsAtAsync(quiz, teacher));
        var own = await _attempts.StartAsync(quiz, teacher);
        Assert.NotEqual(preview.Id, own.Id);
        Assert.Equal((1, false), (own.Number, own.IsPreview));
    }

    [Fact]
    public async Task StartPreview_DiscardsTheTeachersLastPreview_AndIgnoresTheWindowAndTheLimit()
    {
        var closed = _clock.Now.UtcDateTime.AddDays(-1);
        var quiz = await QuizAsync(d => d with { AttemptsAllowed = 1, ClosesAt = closed, TimeLimitMinutes = 10 });
        var teacher = await AddStudentAsync("teacher@school.test");

        var first = await PreviewedAsync(quiz, teacher, (QuestionType.Mcq, "\"Paris\""));
        var second = await _attempts.StartPreviewAsync(quiz, teacher);

        Assert.Equal((0, true), (second.Number, second.IsPreview));
        Assert.Equal(_clock.Now.UtcDateTime.AddMinutes(10), second.Deadline);
        await using var db = _database.CreateContext();
        Assert.Equal([second.Id], await db.Attempts.Where(a => a.QuizId == quiz).Select(a => a.Id).ToListAsync());
        Assert.False(await db.AttemptQuestions.AnyAsync(q => q.AttemptId == first.Id));
        Assert.Equal(second.Id, (await _attempts.PreviewInfoAsync(quiz, teacher)).Last?.Id);
    }

    [Fact]
    public async Task Review_OfAPreview_ShowsTheTeacherWhatAStudentWouldSee()
    {
        var quiz = await QuizAsync(d => d with { Review = ReviewTime.Immediately, ReviewShowsCorrectAnswers = false, ReviewShowsFeedback = false });
        var teacher = await AddStudentAsync("teacher@school.test");
        var preview = await PreviewedAsync(quiz, teacher, (QuestionType.Mcq, "\"Lyon\""), (QuestionType.TrueFalse, "false"));

        var review = await _attempts.ReviewAsync(preview.Id, teacher, viewerIsStaff: true);

        Assert.True(review.IsPreview);
        Assert.Equal(1m, review.Score);
        Assert.False(review.Policy.CorrectAnswers);
        Assert.All(review.Questions, q => Assert.Null(q.CorrectAnswers));
    }
}
