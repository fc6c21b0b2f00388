using EduLoop.Domain;
using EduLoop.Domain.Quizzes;

namespace EduLoop.Tests.Domain;

/// <summary>A student flags questions to come back to them.</summary>
public sealed partial class AttemptServiceTests
{
    [Fact]
    public async Task Flag_IsKeptWithTheAttempt_ForItsStudentOnly_AndLeavesTheAnswerAsSaved()
    {
        var quiz = await QuizAsync();
        var attempt = await _attempts.StartAsync(quiz, _student);
        await _attempts.SaveAnswerAsync(attempt.Id, _student, 1, Json("\"Paris\""), 1);

        await _attempts.FlagAsync(attempt.Id, _student, 1, true);
        await _attempts.FlagAsync(attempt.Id, _student, 2, true);
        await _attempts.FlagAsync(attempt.Id, _student, 2, false);

        var sheet = await _attempts.SheetAsync(attempt.Id, _student);
        Assert.Equal([true, false], sheet.Attempt.Questions.Select(q => q.Flagged));
        Assert.Equal(("\"Paris\"", 1L), (sheet.Attempt.Questions[0].Response, sheet.Attempt.Questions[0].Sequence));
        Assert.Equal(2, await _attempts.SaveAnswerAsync(attempt.Id, _student, 1, Json("\"Lyon\""), 2));

        var other = await AddStudentAsync("ben@school.test");
        await JoinAsync(other);
        await Assert.ThrowsAsync<NotFoundException>(() => _attempts.FlagAsync(attempt.Id, other, 2, true));
        await Assert.ThrowsAsync<NotFoundException>(() => _attempts.FlagAsync(attempt.Id, _student, 99, true));
        await Assert.ThrowsAsync<NotFoundException>(() => _attempts.SheetAsync(attempt.Id, other));

        await _attempts.SubmitAsync(attempt.Id, _student);
        await Assert.ThrowsAsync<AttemptClosedException>(() => _attempts.FlagAsync(attempt.Id, _student, 2, true));
        Assert.False((await _attempts.SheetAsync(attempt.Id, _student)).Attempt.Questions[1].Flagged);
    }
}
