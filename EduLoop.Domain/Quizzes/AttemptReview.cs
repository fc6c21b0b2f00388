using System.Globalization;
using System.Text.Json;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Quizzes;

/// <summary>What the reader of a review may see; staff see everything.</summary>
public sealed record ReviewPolicy(bool Open, bool Score, bool RightWrong, bool CorrectAnswers, bool Feedback)
{
    public static readonly ReviewPolicy Everything = new(true, true, true, true, true);

    /// <summary>The quiz's policy for its student at <paramref name="now"/>; nothing before submit or before the time the policy names.</summary>
    public static ReviewPolicy For(Quiz quiz, AttemptState state, DateTime now)
    {
        if (state == AttemptState.InProgress || !ReviewRules.IsOpen(quiz.Review, quiz.ClosesAt, now))
        {
            return new ReviewPolicy(false, false, false, false, false);
        }

        var answersOpen = ReviewRules.AnswersOpen(quiz.Review, quiz.ClosesAt, now);
        return new ReviewPolicy(true, quiz.ReviewShowsScore, quiz.ReviewShowsRightWrong,
            answersOpen && quiz.ReviewShowsCorrectAnswers, answersOpen && quiz.ReviewShowsFeedback);
    }
}

public static class ReviewRules
{
    /// <summary>
    /// Whether the review time has come: at once, after the close time (never, if the quiz has none), or
    /// never. A staged review opens at once with what it shows first.
    /// </summary>
    public static bool IsOpen(ReviewTime review, DateTime? closesAt, DateTime now) => review switch
    {
        ReviewTime.Immediately or ReviewTime.ScoreNowAnswersAfterClose => true,
        ReviewTime.AfterClose => closesAt is { } closes && closes <= now,
        _ => false,
    };

    /// <summary>Whether correct answers and feedback may show: as <see cref="IsOpen"/>, except a staged review waits for the close time, if there is one.</summary>
    public static bool AnswersOpen(ReviewTime review, DateTime? closesAt, DateTime now) => review switch
    {
        ReviewTime.ScoreNowAnswersAfterClose => closesAt is not { } closes || closes <= now,
        _ => IsOpen(review, closesAt, now),
    };

    /// <summary>
    /// Whether a student can ever see anything of a review with these settings: not when it never opens,
    /// opens after a close time the quiz does not have, or shows none of score, right/wrong, answers and feedback.
    /// </summary>
    public static bool CanEverShow(ReviewTime review, DateTime? closesAt, bool score, bool rightWrong, bool correctAnswers, bool feedback) => review switch
    {
        ReviewTime.Never => false,
        ReviewTime.AfterClose when closesAt is null => false,
        _ => score || rightWrong || correctAnswers || feedback,
    };
}

/// <summary>How an answer was marked.</summary>
public enum Outcome
{
    Unanswered,
    Correct,
    Partial,
    Wrong,
    AwaitingGrade,
    NotMarked,
}

/// <summary>One question of a reviewed attempt; the fields the policy hides are null.</summary>
public sealed record ReviewedQuestion(
    int Id, int Position, QuestionType Type, string Stem, IReadOnlyList<string> Options, IReadOnlyList<string> Prompts,
    string? Response, string ResponseText, decimal Points, decimal? Score, Outcome? Outcome, IReadOnlyList<string>? CorrectAnswers,
    string? Feedback, string? Comment);

/// <summary>
/// A submitted attempt as its reader may see it. While essays wait for their grade, <see cref="Score"/> is
/// null and <see cref="ScoreSoFar"/> holds the points marked so far (null where the policy hides the score).
/// <see cref="EndedByClock"/>: the time ran out and the saved answers were submitted without the student.
/// </summary>
public sealed record AttemptReview(
    int AttemptId, int QuizId, string QuizTitle, string StudentName, int Number, AttemptState State, DateTime StartedAt, DateTime? SubmittedAt,
    decimal? Score, decimal MaxScore, bool? Passed, ReviewPolicy Policy, ReviewTime ReviewTime, IReadOnlyList<ReviewedQuestion> Questions,
    decimal? ScoreSoFar = null, int EssaysToGrade = 0, bool EndedByClock = false)
{
    /// <summary>A teacher's preview, reviewed as its student would see it.</summary>
    public bool IsPreview { get; init; }
}

/// <summary>Turns frozen attempt questions into what a review shows, hiding what the policy hides.</summary>
public static class ReviewBuilder
{
    public static ReviewedQuestion Question(AttemptQuestion question, ReviewPolicy policy)
    {
        var body = question.Body;
        var options = question.Options();
        var prompts = question.Type == QuestionType.Matching ? body.Pairs.Select(p => p.Prompt).ToList() : [];
        var outcome = OutcomeOf(question);
        return new ReviewedQuestion(
            question.Id, question.Position, question.Type, question.Stem, options, prompts,
            policy.Open ? question.Response : null,
            policy.Open ? ResponseText(question) : "",
            question.Points,
            policy.Score ? question.Score : null,
            policy.RightWrong ? outcome : null,
            policy.CorrectAnswers ? CorrectAnswers(question.Type, body) : null,
            policy.Feedback ? Feedback(question) : null,
            policy.Open ? question.Comment : null);
    }

    public static Outcome OutcomeOf(AttemptQuestion question) => question switch
    {
        { Type: QuestionType.Description } => Outcome.NotMarked,
        { Response: null } => Outcome.Unanswered,
        { Score: null } => Outcome.AwaitingGrade,
        { Score: var s } when s >= question.Points => Outcome.Correct,
        { Score: > 0m } => Outcome.Partial,
        _ => Outcome.Wrong,
    };

    /// <summary>What <see cref="ResponseText"/> gives for a stored answer that cannot be read; pages show it in their language.</summary>
    public const string UnreadableResponse = "(unreadable answer)";

    /// <summary>The saved answer as text: choices by their text, pairs as "prompt → answer", numbers as typed.</summary>
    public static string ResponseText(AttemptQuestion question)
    {
        if (question.Response is null)
        {
            return "";
        }

        if (JsonStrings.TryParse(question.Response) is not { } response)
        {
            return UnreadableResponse;
        }

        return response.ValueKind switch
        {
            JsonValueKind.String => response.GetString() ?? "",
            JsonValueKind.Array => string.Join("; ", response.EnumerateArray().Select(Scalar)),
            JsonValueKind.Object => string.Join("; ", response.EnumerateObject().Select(p => p.Name + " → " + Scalar(p.Value))),
            _ => Scalar(response),
        };
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };

    /// <summary>The answers that earn full marks, as text.</summary>
    public static IReadOnlyList<string> CorrectAnswers(QuestionType type, QuestionBody body) => type switch
    {
        QuestionType.Mcq or QuestionType.McqMulti => body.Choices.Where(c => c.Fraction > 0).Select(c => c.Text).ToList(),
        QuestionType.TrueFalse => body.TrueFalseAnswer is { } answer ? [answer ? "True" : "False"] : [],
        QuestionType.FillBlank or QuestionType.Math when body.NumericAnswers.Count == 0 => body.AcceptedAnswers.Where(a => a.Fraction >= 1m).Select(a => a.Text).ToList(),
        QuestionType.Math => body.NumericAnswers.Where(a => a.Fraction >= 1m).Select(a => a.Value is { } v
            ? a.Tolerance > 0 ? string.Create(CultureInfo.InvariantCulture, $"{v} ± {a.Tolerance}") : v.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{a.Min} … {a.Max}")).ToList(),
        QuestionType.Matching => body.Pairs.Select(p => p.Prompt + " → " + p.Answer).ToList(),
        _ => [],
    };

    /// <summary>The feedback of the answer given (choice, true/false, accepted answer) and the question's general feedback.</summary>
    public static string? Feedback(AttemptQuestion question)
    {
        var body = question.Body;
        var given = ResponseText(question);
        string? specific = question.Type switch
        {
            QuestionType.Mcq or QuestionType.McqMulti => string.Join(" ", body.Choices
                .Where(c => c.Feedback is not null && (given == c.Text || given.Split("; ").Contains(c.Text))).Select(c => c.Feedback)),
            QuestionType.TrueFalse => given switch { "True" => body.TrueFeedback, "False" => body.FalseFeedback, _ => null },
            QuestionType.FillBlank => body.AcceptedAnswers.FirstOrDefault(a => string.Equals(a.Text.Trim(), given.Trim(), StringComparison.OrdinalIgnoreCase))?.Feedback,
            _ => null,
        };
        var parts = new[] { specific, body.GeneralFeedback }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return parts.Count == 0 ? null : string.Join("\n\n", parts);
    }
}
