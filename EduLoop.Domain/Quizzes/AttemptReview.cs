using System.Globalization;
using System.Text.Json;
using EduLoop.Domain.QuestionBank;

namespace EduLoop.Domain.Quizzes;

/// <summary>What the reader of a review may see; staff see everything.</summary>
public sealed record ReviewPolicy(bool Open, bool Score, bool RightWrong, bool CorrectAnswers, bool Feedback)
{
    public static readonly ReviewPolicy Everything = new(true, true, true, true, true);

    /// <summary>The quiz's policy for its student at <paramref name="now"/>; nothing before submit or before the time the policy names.</summary>
    public static ReviewPolicy For(Quiz quiz, AttemptState state, DateTime now) =>
        state != AttemptState.InProgress && ReviewRules.IsOpen(quiz.Review, quiz.ClosesAt, now)
            ? new ReviewPolicy(true, quiz.ReviewShowsScore, quiz.ReviewShowsRightWrong, quiz.ReviewShowsCorrectAnswers, quiz.ReviewShowsFeedback)
            : new ReviewPolicy(false, false, false, false, false);
}

public static class ReviewRules
{
    /// <summary>Whether the review time has come: at once, after the close time (never, if the quiz has none), or never.</summary>
    public static bool IsOpen(ReviewTime review, DateTime? closesAt, DateTime now) => review switch
    {
        ReviewTime.Immediately => true,
        ReviewTime.AfterClose => closesAt is { } closes && closes <= now,
        _ => false,
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

/// <summary>A submitted attempt as its reader may see it.</summary>
public sealed record AttemptReview(
    int AttemptId, int QuizId, string QuizTitle, string StudentName, int Number, AttemptState State, DateTime StartedAt, DateTime? SubmittedAt,
    decimal? Score, decimal MaxScore, bool? Passed, ReviewPolicy Policy, ReviewTime ReviewTime, IReadOnlyList<ReviewedQuestion> Questions);

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
