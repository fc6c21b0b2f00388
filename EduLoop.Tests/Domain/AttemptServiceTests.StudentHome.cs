using EduLoop.Domain.QuestionBank;
using EduLoop.Domain.Quizzes;

namespace EduLoop.Tests.Domain;

public sealed partial class AttemptServiceTests
{
    [Fact]
    public async Task QuizzesOf_ShowsTheScore_OnlyOnceTheReviewPolicyAllowsIt()
    {
        var closes = _clock.Now.UtcDateTime.AddHours(1);
        var afterClose = await QuizAsync(d => d with { Title = "After close", Review = ReviewTime.AfterClose, ClosesAt = closes });
        var never = await QuizAsync(d => d with { Title = "Never", Review = ReviewTime.Never });
        var noScore = await QuizAsync(d => d with { Title = "No score", Review = ReviewTime.Immediately, ReviewShowsScore = false });
        var staged = await QuizAsync(d => d with { Title = "Staged", Review = ReviewTime.ScoreNowAnswersAfterClose, ClosesAt = closes });
        foreach (var quiz in new[] { afterClose, never, noScore, staged })
        {
            await SubmittedAsync(quiz, _student, (QuestionType.Mcq, "\"Paris\""));
        }

        var before = (await _attempts.QuizzesOfAsync(_student)).ToDictionary(q => q.Id);
        Assert.Null(before[afterClose].Score);
        Assert.Null(before[never].Score);
        Assert.Null(before[noScore].Score);
        Assert.Equal((1m, 2m), (before[staged].Score, before[staged].MaxScore));

        _clock.Now = _clock.Now.AddHours(2);
        var after = (await _attempts.QuizzesOfAsync(_student)).ToDictionary(q => q.Id);
        Assert.Equal((1m, 2m), (after[afterClose].Score, after[afterClose].MaxScore));
        Assert.Null(after[never].Score);
        Assert.Null(after[noScore].Score);
    }

    [Fact]
    public async Task QuizzesOf_ScoresByTheQuizsGradingMethod()
    {
        var highest = await QuizAsync(d => d with { Title = "Highest", Review = ReviewTime.Immediately });
        var last = await QuizAsync(d => d with { Title = "Last", Review = ReviewTime.Immediately, Grading = GradingMethod.Last });
        foreach (var quiz in new[] { highest, last })
        {
            await SubmittedAsync(quiz, _student, (QuestionType.Mcq, "\"Paris\""), (QuestionType.TrueFalse, "false"));
            await SubmittedAsync(quiz, _student, (QuestionType.Mcq, "\"Lyon\""));
        }

        var quizzes = (await _attempts.QuizzesOfAsync(_student)).ToDictionary(q => q.Id);

        Assert.Equal(2m, quizzes[highest].Score);
        Assert.Equal(0m, quizzes[last].Score);
    }
}
