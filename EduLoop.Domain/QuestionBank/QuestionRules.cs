namespace EduLoop.Domain.QuestionBank;

/// <summary>The rules every question meets, however it arrives: the editor, an import or the API.</summary>
public static class QuestionRules
{
    public const int MaxTextLength = 65_536;

    /// <summary>What is wrong with the question, in words a teacher understands; null when nothing is.</summary>
    public static string? Check(QuestionType type, string stem, QuestionBody body) => type switch
    {
        _ when string.IsNullOrWhiteSpace(stem) => "The question has no text.",
        _ when stem.Length > MaxTextLength => $"The question text is longer than {MaxTextLength:N0} characters.",
        _ when body.Choices.Any(c => c.Fraction is < -1m or > 1m) => "A choice's credit must be between -100% and 100%.",
        QuestionType.Mcq or QuestionType.McqMulti when body.Choices.Count < 2 => "A choice question needs at least two choices.",
        QuestionType.Mcq or QuestionType.McqMulti when body.Choices.Any(c => string.IsNullOrWhiteSpace(c.Text)) => "A choice has no text.",
        QuestionType.Mcq when body.Choices.Count(c => c.Fraction == 1m) != 1 =>
            "A single-answer question (mcq) needs exactly one right choice with full credit.",
        QuestionType.McqMulti when body.Choices.Sum(c => Math.Max(c.Fraction, 0m)) is < 0.99m or > 1.01m =>
            "The credits of the right choices must add up to 100%.",
        QuestionType.TrueFalse when body.TrueFalseAnswer is null => "A true/false question needs its answer.",
        QuestionType.FillBlank when !body.AcceptedAnswers.Any(a => a.Fraction == 1m && a.Text.Trim().Length > 0) =>
            "A fill-in question needs at least one accepted answer with full credit.",
        QuestionType.Math when !body.NumericAnswers.Any(a => a.Fraction == 1m) && !body.AcceptedAnswers.Any(a => a.Fraction == 1m) => "A math question needs a right numeric answer with full credit.",
        QuestionType.Math when body.NumericAnswers.Any(a => (a.Value is null && (a.Min is null || a.Max is null)) || a.Value is { } v && !double.IsFinite(v)) =>
            "Each numeric answer needs a number, or both ends of a range.",
        QuestionType.Math when body.NumericAnswers.Any(a => a.Tolerance < 0 || a.Min > a.Max) =>
            "A numeric answer has a negative tolerance or a range whose start is after its end.",
        QuestionType.Matching when body.Pairs.Count < 2 => "A matching question needs at least two pairs.",
        QuestionType.Matching when body.Pairs.Any(p => string.IsNullOrWhiteSpace(p.Prompt) || string.IsNullOrWhiteSpace(p.Answer)) =>
            "Each matching pair needs a left and a right side.",
        QuestionType.Matching when body.Distractors.Any(string.IsNullOrWhiteSpace) => "Each distractor needs a text.",
        _ => null,
    };
}
